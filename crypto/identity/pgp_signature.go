package identity

// Detached signatures: made by go-crypto, checked by our own fast path.

import (
	"bytes"
	"crypto"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"math/bits"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// signDetached makes a binary-document (0x00) detached signature over msg
// with priv, SHA-256, created at now.
func signDetached(priv *packet.PrivateKey, msg []byte, now time.Time) ([]byte, error) {
	pub := &priv.PublicKey
	keyID := pub.KeyId
	sig := &packet.Signature{
		Version:           pub.Version,
		SigType:           packet.SigTypeBinary,
		PubKeyAlgo:        pub.PubKeyAlgo,
		Hash:              crypto.SHA256,
		CreationTime:      now,
		IssuerKeyId:       &keyID,
		IssuerKeyVersion:  uint8(pub.Version),
		IssuerFingerprint: pub.Fingerprint,
	}
	h, err := sig.PrepareSign(config)
	if err != nil {
		return nil, err
	}
	h.Write(msg)
	if err := sig.Sign(h, priv, config); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := sig.Serialize(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// parseSignature reads exactly one signature packet and nothing else, so a
// signature has one encoding (no trailing bytes, no second packet).
func parseSignature(b []byte) (sig *packet.Signature, err error) {
	defer func() {
		if r := recover(); r != nil {
			sig, err = nil, errors.New("malformed signature (the OpenPGP parser failed)")
		}
	}()
	if len(b) == 0 || len(b) > maxSigSize {
		return nil, fmt.Errorf("signature of %d bytes (want 1 to %d)", len(b), maxSigSize)
	}
	r := bytes.NewReader(b)
	p, err := packet.Read(r)
	if err != nil {
		return nil, fmt.Errorf("malformed signature: %v", err)
	}
	sig, ok := p.(*packet.Signature)
	if !ok {
		return nil, fmt.Errorf("not a signature packet (%T)", p)
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%d bytes after the signature packet", r.Len())
	}
	return sig, nil
}

// verifyDetached checks a binary detached signature sigBytes over msg by
// pub and returns when it was made and when it expires (zero: never).
//
// It accepts one v4 signature packet of type 0x00 (binary document), hashed
// with one of signatureHashes, issued by pub, with no critical notation. It
// hashes msg and the signature trailer and runs the public-key operation;
// no entity code is involved, so it is safe for concurrent use on a shared
// pub.
//
// OpenPGP leaves parts of a signature outside what is signed: the unhashed
// subpackets, the two-byte hash tag, the bit counts of the MPIs. Changing
// them would give another valid encoding of the same signature, so they are
// held to their only sensible values (see canonical). What remains is the
// packet framing (old or new header format), which GnuPG and go-crypto
// write differently.
func verifyDetached(pub *packet.PublicKey, sigBytes, msg []byte) (made, expires time.Time, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("the OpenPGP verifier failed on this signature")
		}
	}()
	sig, err := checkPacket(pub, sigBytes)
	if err != nil {
		return made, expires, err
	}
	h, err := sig.PrepareVerify()
	if err != nil {
		return made, expires, err
	}
	h.Write(msg)
	th := &tagHash{Hash: h}
	if err := pub.VerifySignature(th, sig); err != nil {
		return made, expires, fmt.Errorf("does not verify: %v", err)
	}
	// go-crypto checks the hash tag only for v5 and later signatures.
	if len(th.sum) < 2 || th.sum[0] != sig.HashTag[0] || th.sum[1] != sig.HashTag[1] {
		return made, expires, errors.New("hash tag does not match")
	}
	made, expires = sigTimes(sig)
	return made, expires, nil
}

// digestDetached does every check verifyDetached does except the
// signature equation, and returns what that equation needs: the signature
// packet and the digest it signs (the message, then the v4 hash suffix).
func digestDetached(pub *packet.PublicKey, sigBytes, msg []byte) (sig *packet.Signature, digest []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("the OpenPGP verifier failed on this signature")
		}
	}()
	if sig, err = checkPacket(pub, sigBytes); err != nil {
		return nil, nil, err
	}
	h, err := sig.PrepareVerify()
	if err != nil {
		return nil, nil, err
	}
	h.Write(msg)
	h.Write(sig.HashSuffix)
	digest = h.Sum(nil)
	if digest[0] != sig.HashTag[0] || digest[1] != sig.HashTag[1] {
		return nil, nil, errors.New("hash tag does not match")
	}
	return sig, digest, nil
}

func sigTimes(sig *packet.Signature) (made, expires time.Time) {
	if sig.SigLifetimeSecs != nil && *sig.SigLifetimeSecs != 0 {
		expires = sig.CreationTime.Add(time.Duration(*sig.SigLifetimeSecs) * time.Second)
	}
	return sig.CreationTime, expires
}

// checkPacket parses one v4 binary-document signature packet by pub and
// holds it to the one encoding this package accepts.
func checkPacket(pub *packet.PublicKey, sigBytes []byte) (*packet.Signature, error) {
	sig, err := parseSignature(sigBytes)
	if err != nil {
		return nil, err
	}
	switch {
	case sig.Version != 4:
		return nil, fmt.Errorf("version %d signature; only version 4 is accepted", sig.Version)
	case sig.SigType != packet.SigTypeBinary:
		return nil, fmt.Errorf("signature type 0x%02x, want 0x00 (binary document)", uint8(sig.SigType))
	case !signatureHashes[sig.Hash]:
		return nil, fmt.Errorf("hash %v is not accepted (SHA-256 or stronger required)", sig.Hash)
	case sig.IssuerKeyId == nil && len(sig.IssuerFingerprint) == 0:
		return nil, errors.New("signature names no issuer")
	case !sig.CheckKeyIdOrFingerprint(pub) || (sig.IssuerKeyId != nil && *sig.IssuerKeyId != pub.KeyId):
		return nil, fmt.Errorf("made by key %s", issuer(sig))
	}
	for _, n := range sig.Notations {
		if n.IsCritical {
			return nil, fmt.Errorf("unknown critical notation %q", n.Name)
		}
	}
	if err := canonical(sigBytes, sig, pub.KeyId); err != nil {
		return nil, err
	}
	return sig, nil
}

// tagHash records the digest VerifySignature computes, to compare its first
// two bytes with the signature's hash tag.
type tagHash struct {
	hash.Hash
	sum []byte
}

func (t *tagHash) Sum(b []byte) []byte {
	out := t.Hash.Sum(b)
	t.sum = out[len(b):]
	return out
}

// canonical holds the unsigned parts of a v4 signature packet to one
// encoding: the unhashed subpacket area is empty or holds exactly the issuer
// key ID subpacket naming keyID (as GnuPG writes it), and every MPI has
// no leading zero byte and its exact bit count.
func canonical(b []byte, sig *packet.Signature, keyID uint64) error {
	body, err := packetBody(b)
	if err != nil {
		return err
	}
	// v4 body: version, type, algorithm, hash, 2-byte hashed length, hashed
	// area, 2-byte unhashed length, unhashed area, hash tag, MPIs.
	if len(body) < 6 {
		return errors.New("truncated signature")
	}
	h := int(body[4])<<8 | int(body[5])
	if len(body) < 8+h {
		return errors.New("truncated signature")
	}
	u := int(body[6+h])<<8 | int(body[7+h])
	if len(body) < 8+h+u {
		return errors.New("truncated signature")
	}
	unhashed := body[8+h : 8+h+u]
	var want [10]byte
	want[0], want[1] = 9, 16 // length 9 (type + 8), type 16: issuer key ID
	binary.BigEndian.PutUint64(want[2:], keyID)
	if u != 0 && !bytes.Equal(unhashed, want[:]) {
		return errors.New("unhashed subpackets other than the issuer key ID")
	}
	type mpi interface {
		Bytes() []byte
		BitLength() uint16
	}
	var mpis []mpi
	switch sig.PubKeyAlgo {
	case packet.PubKeyAlgoEdDSA:
		mpis = []mpi{sig.EdDSASigR, sig.EdDSASigS}
	case packet.PubKeyAlgoECDSA:
		mpis = []mpi{sig.ECDSASigR, sig.ECDSASigS}
	case packet.PubKeyAlgoRSA, packet.PubKeyAlgoRSASignOnly:
		mpis = []mpi{sig.RSASignature}
	}
	for _, m := range mpis {
		if m == nil {
			return errors.New("missing signature value")
		}
		v := m.Bytes()
		if len(v) == 0 || v[0] == 0 || int(m.BitLength()) != 8*(len(v)-1)+bits.Len8(v[0]) {
			return errors.New("signature value is not minimally encoded")
		}
	}
	return nil
}

// packetBody returns the body of the one packet b holds, after its header
// (old or new format), and checks that the header's length is exactly that
// of the body.
func packetBody(b []byte) ([]byte, error) {
	if len(b) < 2 || b[0]&0x80 == 0 {
		return nil, errors.New("not an OpenPGP packet")
	}
	var hdr, n int
	if b[0]&0x40 == 0 { // old format: the length's size is in the tag byte
		switch b[0] & 3 {
		case 0:
			hdr = 2
		case 1:
			hdr = 3
		case 2:
			hdr = 5
		default:
			return nil, errors.New("signature packet of indeterminate length")
		}
		if len(b) < hdr {
			return nil, errors.New("truncated packet header")
		}
		for _, c := range b[1:hdr] {
			n = n<<8 | int(c)
		}
	} else {
		switch {
		case b[1] < 192:
			hdr, n = 2, int(b[1])
		case b[1] < 224:
			if len(b) < 3 {
				return nil, errors.New("truncated packet header")
			}
			hdr, n = 3, (int(b[1])-192)<<8+int(b[2])+192
		case b[1] == 255:
			if len(b) < 6 {
				return nil, errors.New("truncated packet header")
			}
			hdr, n = 6, int(binary.BigEndian.Uint32(b[2:6]))
		default:
			return nil, errors.New("signature packet with partial body lengths")
		}
	}
	if n != len(b)-hdr {
		return nil, fmt.Errorf("packet header says %d bytes, the packet has %d", n, len(b)-hdr)
	}
	return b[hdr:], nil
}

// issuer names the key a signature claims to be from.
func issuer(sig *packet.Signature) string {
	if len(sig.IssuerFingerprint) > 0 {
		return fmt.Sprintf("%X", sig.IssuerFingerprint)
	}
	return fmt.Sprintf("ID %016X", *sig.IssuerKeyId)
}
