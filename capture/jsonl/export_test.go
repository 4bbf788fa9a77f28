package jsonl

// For the external tests (package jsonl_test), which use the corpus
// generator, itself a user of this package.

type Record = record

func DecodeFast(line []byte, r *Record) bool  { return decodeFast(line, r) }
func DecodeJSON(line []byte, r *Record) error { return decodeJSON(line, r) }
