package auditlog

// Actions. Each names what an entry records; the vault writes the entry in
// the same transaction as the action itself.
const (
	ActionInit          = "vault.init"     // vault created: config, escrow key, first members
	ActionMemberAdd     = "member.add"     // Target: fingerprint; Detail["member"]: MemberDetail
	ActionIngest        = "ingest"         // a batch of messages sealed and stored
	ActionRequest       = "request"        // Target: request id; Reason: justification
	ActionApprove       = "approve"        // Target: request id
	ActionDeny          = "deny"           // Target: request id; Reason: why
	ActionGrant         = "grant"          // Target: request id; the approval that completed the threshold
	ActionGrantExpire   = "grant.expire"   // Target: request id; partials deleted
	ActionUnlock        = "unlock"         // Target: request id; content decrypted and shown
	ActionRefused       = "refused"        // Target: what was refused; Reason: why; Detail["action"]: what was tried
	ActionLogExport     = "log.export"     // the log was exported
	ActionIntegrityFail = "integrity.fail" // damaged records found
	ActionDisposition   = "event.status"   // Target: event id; Reason: the note; Detail["from"], ["status"]
)
