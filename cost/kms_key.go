package cost

// KMSKey prices an aws:kms/key:Key: the key and its API requests.
type KMSKey struct {
	Region   string
	Requests float64
}

// Components prices the key.
func (k KMSKey) Components(c *Catalog) []Component {
	return append([]Component{c.Component(k.Region, "customer managed key", "key-months", Key{Service: "kms", Item: "key"}, dec(1))},
		usage(c.Component(k.Region, "API requests", "10k requests", Key{Service: "kms", Item: "requests"}, dec(k.Requests/10000)))...)
}
