package files

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Lock takes an exclusive lock (flock) on the file at path, creating it
// when it is missing, and waits while another process holds it. When it
// must wait and waiting is not nil, waiting is called first. unlock
// releases the lock; so does the process's end, however it ends.
//
// The lock is opened without following a symlink (O_NOFOLLOW), and not
// inherited by the processes the build starts (O_CLOEXEC), so a lock
// outlives no build. A symlink at path, which only damage or a hostile
// writer leaves in a cache, is replaced by a regular file rather than
// refused: the lock guards against concurrent builds, and refusing it
// would fail every build until the cache is purged, while replacing it
// keeps the build working and never touches what the link points to. A
// directory at path is locked as it is.
func Lock(path string, waiting func()) (unlock func(), err error) {
	f, err := openLock(path)
	if err != nil {
		return nil, err
	}
	err = flock(f, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		if waiting != nil {
			waiting()
		}
		err = flock(f, syscall.LOCK_EX)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// TryLock is Lock without the wait: when another process holds the lock,
// it returns ok false at once.
func TryLock(path string) (unlock func(), ok bool, err error) {
	f, err := openLock(path)
	if err != nil {
		return nil, false, err
	}
	err = flock(f, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		f.Close()
		return nil, false, nil
	}
	if err != nil {
		f.Close()
		return nil, false, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, true, nil
}

// flock calls flock(2) on f, again when a signal interrupts it.
func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// openLock opens the lock file at path, creating it, never through a
// symlink: a symlink there is replaced by a regular file.
func openLock(path string) (*os.File, error) {
	// os.OpenFile always adds O_CLOEXEC.
	const flags = os.O_RDWR | os.O_CREATE | syscall.O_NOFOLLOW
	f, err := os.OpenFile(path, flags, 0o666)
	if errors.Is(err, syscall.ELOOP) {
		if err := removeSymlink(path); err != nil {
			return nil, fmt.Errorf("lock %s: it is a symlink, and removing it failed: %w", path, err)
		}
		f, err = os.OpenFile(path, flags, 0o666)
	}
	if errors.Is(err, syscall.EISDIR) {
		f, err = os.OpenFile(path, os.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NOFOLLOW, 0)
	}
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("lock %s: it is a symlink again after it was removed", path)
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() && !info.IsDir() {
		f.Close()
		return nil, fmt.Errorf("lock %s: not a regular file", path)
	}
	return f, nil
}

// removeSymlink removes the symlink at path, if it still is one. Processes
// that find the same symlink take turns, holding a lock on the directory:
// one of them must not remove the lock file another just created in its
// place and locked.
func removeSymlink(path string) error {
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer dir.Close()
	if err := flock(dir, syscall.LOCK_EX); err != nil {
		return err
	}
	info, err := os.Lstat(path)
	if err != nil || info.Mode()&os.ModeSymlink == 0 {
		return nil // another process replaced it
	}
	return os.Remove(path)
}
