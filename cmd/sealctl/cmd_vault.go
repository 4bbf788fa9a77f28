package main

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"sealroom/crypto/identity"
	"sealroom/vault"
)

// vaultFlags are the flags of every command that opens a vault.
type vaultFlags struct {
	secretFlags
	acceptHead bool
}

func (v *vaultFlags) register(fs *flag.FlagSet, needAs bool) {
	v.secretFlags.register(fs, needAs)
	fs.BoolVar(&v.acceptHead, "accept-log-head", false, "open even if the access log is older than, or diverges from, the one this workstation saw (an auditor's acknowledgment)")
}

// open opens the vault, read-only when the command only reads.
func (v *vaultFlags) open(path string, readOnly bool) (*vault.Vault, error) {
	return vault.Open(path, &vault.Options{ReadOnly: readOnly, AcceptLogHead: v.acceptHead})
}

// openAs finishes a member command's command line and opens its vault:
// it parses args (exactly n positional arguments, the vault first), runs
// valid on them (nil: none) before any passphrase is asked for, and logs
// in as --as. The caller closes the vault.
func (e *env) openAs(fs *flag.FlagSet, vf *vaultFlags, args []string, n int, readOnly bool, valid func(pos []string) error) (*vault.Vault, *vault.Session, []string, error) {
	pos, err := e.parse(fs, args, n, false)
	if err != nil {
		return nil, nil, nil, err
	}
	if valid != nil {
		if err := valid(pos); err != nil {
			return nil, nil, nil, err
		}
	}
	vt, s, err := e.session(vf, pos[0], readOnly)
	return vt, s, pos, err
}

// session opens the vault and logs in as --as.
func (e *env) session(v *vaultFlags, path string, readOnly bool) (*vault.Vault, *vault.Session, error) {
	id, err := e.unlockIdentity(&v.secretFlags)
	if err != nil {
		return nil, nil, err
	}
	vt, err := v.open(path, readOnly)
	if err != nil {
		return nil, nil, err
	}
	s, err := vt.Login(id)
	if err != nil {
		vt.Close()
		return nil, nil, err
	}
	return vt, s, nil
}

func cmdVaultInit(e *env, args []string) error {
	fs := e.flags("vault init")
	var sec secretFlags
	admin := fs.String("admin", "", "the admin's secret key file (required); the admin signs the first log entry")
	var officers listFlag
	fs.Var(&officers, "officer", "an officer's public key file (repeat for each officer; 2 or more)")
	threshold := fs.Int("threshold", 2, "how many officers must approve each unlock")
	maxGrant := fs.Duration("max-grant", vault.DefaultMaxGrant, "the longest time a request may ask to keep content unlocked")
	redaction := fs.String("redaction", vault.DefaultRedaction, "what reviewers see of flagged messages: sealed, masked or redacted")
	sec.register(fs, false)
	pos, err := e.parse(fs, args, 1, false)
	if err != nil {
		return err
	}
	if *admin == "" || len(officers) < 2 {
		return usagef("--admin and at least two --officer keys are required")
	}
	sec.as = *admin
	id, err := e.unlockIdentity(&sec)
	if err != nil {
		return err
	}
	var pubs []*identity.Public
	for _, f := range officers {
		p, err := readPublic(f)
		if err != nil {
			return err
		}
		pubs = append(pubs, p)
	}
	cfg := vault.Config{Threshold: *threshold, MaxGrant: *maxGrant, Redaction: *redaction}
	if err := vault.Create(pos[0], id, pubs, cfg, nil); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "created vault %s: %d of %d officers must approve each unlock\n", pos[0], *threshold, len(pubs))
	return nil
}

func cmdMemberAdd(e *env, args []string) error {
	fs := e.flags("member add")
	var vf vaultFlags
	vf.register(fs, true)
	var roles listFlag
	fs.Var(&roles, "role", "a role to grant: admin, ingest, reviewer or auditor (repeat, or separate with commas)")
	pos, err := e.parse(fs, args, 2, false)
	if err != nil {
		return err
	}
	var rs []vault.Role
	for _, r := range roles {
		for _, name := range strings.Split(r, ",") {
			role, err := vault.ParseRole(strings.TrimSpace(name))
			if err != nil {
				return usageError{err}
			}
			rs = append(rs, role)
		}
	}
	if len(rs) == 0 {
		return usagef("at least one --role is required")
	}
	pub, err := readPublic(pos[1])
	if err != nil {
		return err
	}
	vt, s, err := e.session(&vf, pos[0], false)
	if err != nil {
		return err
	}
	defer vt.Close()
	if err := s.AddMember(pub, rs); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "added %s (%s) as %s\n", pub.UserID(), pub.Fingerprint(), roles.String())
	return nil
}

func cmdMemberList(e *env, args []string) error {
	fs := e.flags("member list")
	var vf vaultFlags
	vf.register(fs, true)
	pos, err := e.parse(fs, args, 1, false)
	if err != nil {
		return err
	}
	vt, err := vf.open(pos[0], true)
	if err != nil {
		return err
	}
	defer vt.Close()
	ms, err := vt.Members()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FINGERPRINT\tROLES\tSHARE\tUSER ID")
	for _, m := range ms {
		share := "-"
		if m.Share > 0 {
			share = fmt.Sprint(m.Share)
		}
		var rs []string
		for _, r := range m.Roles {
			rs = append(rs, string(r))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Fingerprint, strings.Join(rs, ","), share, m.UserID)
	}
	return tw.Flush()
}

func cmdConversations(e *env, args []string) error {
	fs := e.flags("conversations")
	var vf vaultFlags
	vf.register(fs, true)
	vt, s, _, err := e.openAs(fs, &vf, args, 1, true, nil)
	if err != nil {
		return err
	}
	defer vt.Close()
	cs, err := s.Conversations()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCHANNEL\tMESSAGES\tCHUNKS\tFIRST\tLAST\tTITLE")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\n", c.ID, c.Channel, c.Messages, c.Chunks,
			c.First.Format(time.DateOnly), c.Last.Format(time.DateOnly), c.Title)
	}
	return tw.Flush()
}

func cmdVaultCheck(e *env, args []string) error {
	fs := e.flags("vault check")
	pos, err := e.parse(fs, args, 1, false)
	if err != nil {
		return err
	}
	vt, err := vault.Open(pos[0], &vault.Options{ReadOnly: true, AcceptLogHead: true})
	if err != nil {
		return err
	}
	defer vt.Close()
	errs := vt.Check()
	for i, err := range errs {
		if i == 50 {
			fmt.Fprintf(e.stdout, "… and %d more\n", len(errs)-50)
			break
		}
		fmt.Fprintln(e.stdout, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %d problems in the file's structure", vault.ErrDamaged, len(errs))
	}
	fmt.Fprintf(e.stderr, "%s: the file's structure is consistent\n", pos[0])
	usage, size, err := vt.Usage()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "BUCKET\tRECORDS\tBYTES\tPAGES\t")
	var pages int64
	for _, u := range usage {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", u.Name, u.Records, u.Bytes, u.Pages)
		pages += u.Pages
	}
	fmt.Fprintf(tw, "file\t\t\t%d\t\n", size)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, u := range usage {
		if u.Name == "chunks" && u.Bytes > 0 {
			fmt.Fprintf(e.stderr, "the file is %.2f× its sealed chunks; %d bytes (%.0f%%) are free or bbolt's own pages\n",
				float64(size)/float64(u.Bytes), size-pages, 100*float64(size-pages)/float64(size))
		}
	}
	return nil
}

func cmdVaultCompact(e *env, args []string) error {
	fs := e.flags("vault compact")
	acceptHead := fs.Bool("accept-log-head", false, "compact even if the access log is older than, or diverges from, the one this workstation saw (an auditor's acknowledgment)")
	pos, err := e.parse(fs, args, 1, false)
	if err != nil {
		return err
	}
	before, after, err := vault.Compact(pos[0], &vault.Options{AcceptLogHead: *acceptHead}, e.progress("records copied"))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%s: %d bytes, now %d (%.0f%% smaller); every record is as it was\n",
		pos[0], before, after, 100*(1-float64(after)/float64(before)))
	return nil
}
