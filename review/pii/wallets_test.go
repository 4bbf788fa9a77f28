package pii

import "testing"

// Vectors: the genesis block's address, BIP 13's P2SH example, BIP 173's
// and BIP 350's test addresses, and EIP-55's examples.
var walletCases = []detectCase{
	{"p2pkh", "send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa.", []want{{Wallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"}}},
	{"p2sh", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", []want{{Wallet, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"}}},
	{"p2pkh bad checksum", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", nil},
	{"base58 bad char", "1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a", nil},
	{"bech32 v0", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", []want{{Wallet, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"}}},
	{"bech32 upper", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", []want{{Wallet, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"}}},
	{"bech32m taproot", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", []want{{Wallet, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"}}},
	{"bech32 bad checksum", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", nil},
	{"bech32 mixed case", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kV8f3t4", nil},
	{"bech32m v2", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", []want{{Wallet, "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs"}}},
	{"v2 with bech32", "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj", nil},
	{"v0 with bech32m", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", nil},
	{"eip55", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", []want{{Wallet, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}}},
	{"eip55 2", "to 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359,", []want{{Wallet, "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"}}},
	{"eth lower", "0xde709f2102306220921060314715629080e2fb77", []want{{Wallet, "0xde709f2102306220921060314715629080e2fb77"}}},
	{"eip55 bad case", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", nil},
	{"eth short", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", nil},
	{"eth glued", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedZ", nil},
}

func TestWallets(t *testing.T) { runCases(t, walletCases) }
