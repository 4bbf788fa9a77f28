// Package corpus generates large, deterministic synthetic corpora of chat
// messages and writes the same conversations in every export format
// Sealroom reads, with ground-truth labels for what was planted in them:
// risk phrases (plain and obfuscated), personal data with valid check
// digits, and unique canary strings for finding leaked plaintext on disk.
//
// The same seed gives the same bytes in every file, on every machine: the
// random source is math/rand/v2's PCG, time zones come from the embedded
// time/tzdata, and nothing iterates a map while writing. Generation
// streams: one conversation at a time, one message at a time, so memory
// stays bounded whatever the corpus size.
//
// A corpus folder:
//
//	corpus.json                  Manifest: seed, formats, counts per format and
//	                             language, every conversation's zone and folder
//	labels.jsonl                 one Label per message that carries anything
//	whatsapp-android/<folder>/WhatsApp Chat with <title>.txt
//	whatsapp-ios/<folder>/_chat.txt
//	telegram/result.json         full-account export, all chats in chats.list
//	slack/                       users.json, channels.json, dms.json,
//	                             <channel>/YYYY-MM-DD.json
//	signal/<folder>/data.json    signal-export JSON lines
//	wechat-csv/<folder>/<title>_utf8.csv   MemoTrace CSV
//	wechat-txt/<folder>/<title>.txt        WechatExporter text
//	jsonl/messages.jsonl         Sealroom JSONL, the model itself
//
// <folder> is the conversation's number, c000001 onwards (ConvInfo.Folder).
// Message k of a conversation (1-based) is "m<k>" in JSONL and labels,
// id k in Telegram, localId k in WeChat CSV, the k-th record of every
// other per-conversation file, and in Slack the ts whose microseconds are
// k. Formats without a zone write the phone's wall clock in the
// conversation's zone (ConvInfo.Zone); Slack splits days in UTC.
//
// Generated content is not real: names, numbers and identifiers are
// random, though check digits are valid so that detectors fire on them.
package corpus
