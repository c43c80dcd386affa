package cost

import (
	"fmt"
	"strings"
)

// Key names one catalog price. Its text form, written in prices/*.json and
// shown in reports, joins the set fields with colons:
// "rds:postgres:db.t3.small:multi-az", "alb:lcu".
type Key struct {
	Service string // "ec2", "rds", "aurora", "datatransfer"...
	Item    string // what is billed: "instance", "postgres", "storage", "lcu"...
	Variant string // the instance class, volume type, feature or tier, where the price depends on one
	Option  string // the deployment option ("single-az", "multi-az"), where it changes the price
}

// String is the key's text form.
func (k Key) String() string {
	parts := []string{k.Service, k.Item}
	if k.Variant != "" || k.Option != "" {
		parts = append(parts, k.Variant)
	}
	if k.Option != "" {
		parts = append(parts, k.Option)
	}
	return strings.Join(parts, ":")
}

// ParseKey reads a key's text form, as the price files hold it.
func ParseKey(s string) (Key, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 4 {
		return Key{}, fmt.Errorf("price key %q: want service:item[:variant[:option]]", s)
	}
	for _, p := range parts {
		if p == "" {
			return Key{}, fmt.Errorf("price key %q has an empty part", s)
		}
	}
	parts = append(parts, "", "")
	return Key{Service: parts[0], Item: parts[1], Variant: parts[2], Option: parts[3]}, nil
}

// PublicIPv4Key names the hourly price of a public IPv4 address, which ALBs
// and Elastic IPs both bill.
var PublicIPv4Key = Key{Service: "vpc", Item: "public-ipv4"}
