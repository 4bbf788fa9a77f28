module sealroom

go 1.26.0

require (
	filippo.io/edwards25519 v1.2.0
	github.com/ProtonMail/go-crypto v1.5.2
	github.com/bwesterb/go-ristretto v1.2.4
	github.com/cloudflare/circl v1.6.5
	github.com/klauspost/compress v1.20.3
	github.com/sajari/fuzzy v1.0.0
	go.etcd.io/bbolt v1.5.0
	golang.org/x/crypto v0.58.0
	golang.org/x/mod v0.42.0
	golang.org/x/term v0.47.0
	golang.org/x/text v0.43.0
)

require golang.org/x/sys v0.49.0 // indirect
