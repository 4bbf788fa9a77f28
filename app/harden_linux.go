package app

import "syscall"

// Harden turns off core dumps for the process (T23): a crash must not
// write unlocked message content or keys to disk. It also makes the
// process undumpable, which keeps other processes of the same user from
// attaching to it with ptrace.
func Harden() error {
	if err := syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{}); err != nil {
		return err
	}
	const prSetDumpable = 4
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetDumpable, 0, 0); errno != 0 {
		return errno
	}
	return nil
}
