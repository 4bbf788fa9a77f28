package pii

import (
	"crypto/sha256"

	"golang.org/x/crypto/sha3"
)

// wallet emits a cryptocurrency address that is the whole word text[i:j]:
// an Ethereum address (0x and 40 hex digits), a Bitcoin legacy address
// (Base58Check, starting 1 or 3) or a Bitcoin segwit address (bech32 or
// bech32m, starting bc1).
func (s *scanner) wallet(i, j int) int {
	w := s.text[i:j]
	if !rightOK(s.text, j) {
		return -1
	}
	var ok bool
	score := float32(scoreChecksum)
	switch {
	case len(w) == 42 && w[0] == '0' && w[1]|0x20 == 'x':
		ok, score = ethereum(w[2:])
	case len(w) > 3 && (w[:3] == "bc1" || w[:3] == "BC1"):
		ok = segwit(w)
	case w[0] == '1' || w[0] == '3':
		ok = base58Check(w)
	}
	if !ok {
		return -1
	}
	s.emit(Wallet, i, j, score)
	return j
}

// ethereum checks 40 hex digits. Mixed case must be the EIP-55 checksum:
// a letter is upper-case exactly when the matching nibble of the
// Keccak-256 of the lower-case hex is 8 or more. All-lower and all-upper
// addresses carry no checksum and score lower.
func ethereum(h string) (bool, float32) {
	var lower [40]byte
	upper, low := false, false
	for k := range 40 {
		c := h[k]
		switch {
		case isDigit(c):
		case c >= 'a' && c <= 'f':
			low = true
		case c >= 'A' && c <= 'F':
			upper = true
			c += 'a' - 'A'
		default:
			return false, 0
		}
		lower[k] = c
	}
	if !upper || !low {
		return true, scoreShape
	}
	k := sha3.NewLegacyKeccak256()
	k.Write(lower[:])
	var sum [32]byte
	k.Sum(sum[:0])
	for n := range 40 {
		if isDigit(h[n]) {
			continue
		}
		nibble := sum[n/2] >> 4
		if n%2 == 1 {
			nibble = sum[n/2] & 0xF
		}
		if (nibble >= 8) != isUpper(h[n]) {
			return false, 0
		}
	}
	return true, scoreChecksum
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

var base58Values = func() (t [256]int8) {
	for k := range t {
		t[k] = -1
	}
	for k := range len(base58Alphabet) {
		t[base58Alphabet[k]] = int8(k)
	}
	return t
}()

// base58Check checks a legacy Bitcoin address: 26-35 Base58 characters
// decoding to 25 bytes, a version byte of 0x00 (P2PKH, "1…") or 0x05
// (P2SH, "3…"), a 20-byte hash and the first four bytes of the double
// SHA-256 of the first 21.
func base58Check(w string) bool {
	if len(w) < 26 || len(w) > 35 {
		return false
	}
	var b [25]byte
	for k := range len(w) {
		v := base58Values[w[k]]
		if v < 0 {
			return false
		}
		carry := int(v)
		for n := len(b) - 1; n >= 0; n-- {
			carry += 58 * int(b[n])
			b[n] = byte(carry)
			carry >>= 8
		}
		if carry != 0 {
			return false
		}
	}
	// Each leading '1' encodes one leading zero byte, and only those do.
	ones, zeros := 0, 0
	for ones < len(w) && w[ones] == '1' {
		ones++
	}
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	if ones != zeros || (b[0] != 0x00 && b[0] != 0x05) {
		return false
	}
	h := sha256.Sum256(b[:21])
	h = sha256.Sum256(h[:])
	return [4]byte(h[:4]) == [4]byte(b[21:])
}

const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

var bech32Values = func() (t [256]int8) {
	for k := range t {
		t[k] = -1
	}
	for k := range len(bech32Charset) {
		c := bech32Charset[k]
		t[c] = int8(k)
		if isLower(c) {
			t[c-'a'+'A'] = int8(k)
		}
	}
	return t
}()

// segwit checks a Bitcoin mainnet segwit address (BIP 173, BIP 350):
// "bc1", all one case, data characters from the bech32 set, a valid
// checksum (bech32 for witness version 0, bech32m for versions 1-16), and
// a witness program of 2-40 bytes (20 or 32 for version 0).
func segwit(w string) bool {
	if len(w) < 14 || len(w) > 74 {
		return false
	}
	lowerCase := w[0] == 'b'
	var data [74]byte
	nd := 0
	for k := 3; k < len(w); k++ {
		c := w[k]
		if isUpper(c) == lowerCase && !isDigit(c) {
			return false // mixed case
		}
		v := bech32Values[c]
		if v < 0 {
			return false
		}
		data[nd] = byte(v)
		nd++
	}
	// Polymod over the expanded human-readable part "bc", then the data.
	chk := uint32(1)
	for _, v := range [...]byte{'b' >> 5, 'c' >> 5, 0, 'b' & 31, 'c' & 31} {
		chk = bech32Step(chk) ^ uint32(v)
	}
	for _, v := range data[:nd] {
		chk = bech32Step(chk) ^ uint32(v)
	}
	version := data[0]
	switch {
	case version == 0 && chk != 1, version > 0 && chk != 0x2bc830a3, version > 16:
		return false
	}
	// The program: 5-bit groups regrouped into bytes, with at most four
	// bits of zero padding.
	acc, bits, n := uint32(0), 0, 0
	for _, v := range data[1 : nd-6] {
		acc = (acc<<5 | uint32(v)) & 0xfff
		bits += 5
		if bits >= 8 {
			bits -= 8
			n++
		}
	}
	if bits >= 5 || acc&(1<<bits-1) != 0 || n < 2 || n > 40 {
		return false
	}
	return version != 0 || n == 20 || n == 32
}

func bech32Step(chk uint32) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	b := chk >> 25
	chk = chk & 0x1ffffff << 5
	for k := range 5 {
		if b>>k&1 == 1 {
			chk ^= gen[k]
		}
	}
	return chk
}
