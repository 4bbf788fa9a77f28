package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestHarden (T23, Linux): after Harden the process is not dumpable, its
// core size limit is 0, and a crash leaves no core — where the same crash
// without Harden does. Each case runs in a child process that allows core
// dumps first, as a permissive system would, then crashes itself.
func TestHarden(t *testing.T) {
	if mode := os.Getenv("SEALROOM_HARDEN_CHILD"); mode != "" {
		syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{Cur: 64 << 20, Max: 64 << 20})
		if mode == "hardened" {
			if err := Harden(); err != nil {
				os.Exit(3)
			}
			const prGetDumpable = 3
			d, _, _ := syscall.RawSyscall(syscall.SYS_PRCTL, prGetDumpable, 0, 0)
			var lim syscall.Rlimit
			if err := syscall.Getrlimit(syscall.RLIMIT_CORE, &lim); err != nil || d != 0 || lim.Cur != 0 || lim.Max != 0 {
				os.Exit(4)
			}
		}
		syscall.Kill(os.Getpid(), syscall.SIGSEGV)
		select {}
	}
	crash := func(mode string) (dumped bool, cores []string) {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^TestHarden$")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "SEALROOM_HARDEN_CHILD="+mode, "GOTRACEBACK=crash")
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s child did not crash: %v", mode, err)
		}
		switch ee.ExitCode() {
		case 3:
			t.Fatal("Harden failed in the child")
		case 4:
			t.Fatal("after Harden the process is dumpable or may write a core")
		}
		ws, _ := ee.Sys().(syscall.WaitStatus)
		if !ws.Signaled() {
			t.Fatalf("%s child: %v, want a crash", mode, ee)
		}
		cores, _ = filepath.Glob(filepath.Join(dir, "core*"))
		return ws.CoreDump(), cores
	}
	if dumped, cores := crash("hardened"); dumped || len(cores) > 0 {
		t.Fatalf("a hardened crash dumped core (%v, %q)", dumped, cores)
	}
	if dumped, _ := crash("control"); !dumped {
		t.Log("the control crash dumped no core either (this system suppresses core dumps); the hardened checks above still hold")
	}
}
