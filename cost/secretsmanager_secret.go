package cost

// SecretsManagerSecret prices an aws:secretsmanager/secret:Secret: the
// secret's month (its API calls, a pooler's few reads, stay in the cents).
type SecretsManagerSecret struct{ Region string }

// Components prices the secret.
func (s SecretsManagerSecret) Components(c *Catalog) []Component {
	return []Component{c.Component(s.Region, "secret", "secret-months", Key{Service: "secretsmanager", Item: "secret"}, dec(1))}
}
