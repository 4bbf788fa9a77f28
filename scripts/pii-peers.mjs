// Runs the npm PII redactors on the messages of a JSONL file, one object
// per line: {"text": "...", "pii": [{"type": "phone", "value": "..."}]}.
// Prints, per redactor and per type it supports, TP FP FN as JSON lines,
// and its throughput. A planted value counts as found when it is gone from
// the redacted text; every placeholder of a type beyond those is a false
// positive.
// usage: node pii-peers.mjs MESSAGES.jsonl
import { readFileSync } from 'node:fs';
import { Redactor } from '@redactpii/node';
import { sanitizePii } from '@cdssnc/sanitize-pii';

const msgs = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const redactor = new Redactor();
const peers = {
  '@redactpii/node@1.0.17': {
    run: (t) => redactor.redact(t),
    types: { email: ['EMAIL_ADDRESS'], phone: ['PHONE_NUMBER'], card: ['CREDIT_CARD_NUMBER'], ssn: ['US_SOCIAL_SECURITY_NUMBER'] },
  },
  '@cdssnc/sanitize-pii@2.1.1': {
    run: (t) => sanitizePii(t),
    types: {
      phone: ['[Redacted: phone_number]', '[Redacted: phone_number_international]'],
      card: ['[Redacted: credit_card]'],
    },
  },
};
const count = (s, sub) => s.split(sub).length - 1;
for (const [name, peer] of Object.entries(peers)) {
  const score = {};
  for (const t of Object.keys(peer.types)) score[t] = { tp: 0, fp: 0, fn: 0 };
  const start = process.hrtime.bigint();
  const outs = msgs.map((m) => peer.run(m.text));
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  msgs.forEach((m, i) => {
    const out = outs[i];
    for (const [t, marks] of Object.entries(peer.types)) {
      let tp = 0;
      for (const p of m.pii || []) {
        if (p.type !== t) continue;
        if (!out.includes(p.value)) tp++;
        else score[t].fn++;
      }
      score[t].tp += tp;
      const placed = marks.reduce((n, mk) => n + count(out, mk), 0);
      score[t].fp += Math.max(0, placed - tp);
    }
  });
  console.log(JSON.stringify({ peer: name, messages: msgs.length, seconds: secs, score }));
}
