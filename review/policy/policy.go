package policy

// Version is the format version this package reads and writes: the first
// line of every policy file is "sealroom-policy 1".
const Version = 1

// Category is the kind of risk a policy looks for. The set is fixed so that
// the queue, the reports and the tests can rely on it.
type Category string

const (
	OffChannel       Category = "off-channel"       // moving talk to unrecorded channels, deleting records
	MarketAbuse      Category = "market-abuse"      // insider information, front-running, manipulation
	Bribery          Category = "bribery"           // bribes, kickbacks, off-book payments
	ConfidentialData Category = "confidential-data" // firm or client data leaving the firm
	Complaint        Category = "complaint"         // customer complaints (FINRA Rule 4530)
	Phishing         Category = "phishing"          // lures, shorteners, look-alike hosts, executables
	Threats          Category = "threats"           // threats, harassment, intimidation
)

// Categories lists every category in the order documents show them.
var Categories = []Category{OffChannel, MarketAbuse, Bribery, ConfidentialData, Complaint, Phishing, Threats}

// Severity ranks a policy's findings.
type Severity string

const (
	Low      Severity = "low"
	Medium   Severity = "medium"
	High     Severity = "high"
	Critical Severity = "critical"
)

var severities = []Severity{Low, Medium, High, Critical}

// Languages are the language tags a policy may use: BCP 47, with the
// script where it matters (Hindi is written in Latin letters in chat).
var Languages = []string{"en", "zh-Hans", "zh-Hant", "pt-BR", "es", "hi-Latn"}

// Detector names a built-in scanner that is not a lexicon (see detect.go);
// a policy lists the ones whose findings it owns.
type Detector string

const (
	DetectShortener  Detector = "shortener"  // a URL shortener's host (bit.ly, t.co …)
	DetectPunycode   Detector = "punycode"   // a host with an xn-- label
	DetectLookalike  Detector = "lookalike"  // a host imitating a well-known brand
	DetectExecutable Detector = "executable" // a file name ending in .apk, .exe, .scr …
)

var detectors = [...]Detector{DetectShortener, DetectPunycode, DetectLookalike, DetectExecutable}

// Policy is one parsed policy. Its fields keep the order and spelling of the
// file; Compile folds them.
type Policy struct {
	ID        string
	Name      string
	Category  Category
	Severity  Severity
	Languages []string
	MinHits   int // distinct terms, rules or detections needed to flag; at least 1
	Detect    []Detector
	Terms     []Term
	Near      []Near
	Exclude   []Term

	File string // where the policy was read, for messages
	Line int    // the line of its "policy:" key
}

// Term is a word or phrase. A trailing '*' makes it a prefix: it matches
// any word that starts with it.
type Term struct {
	Lang string
	Text string // as written, with its '*' if any
	Line int
}

// Near is a proximity rule "A NEAR/N B": A and B, in either order, with at
// most N words between them.
type Near struct {
	Lang string
	A, B string // each a term as in Term.Text
	N    int
	Line int
}
