// Package outputtest gives tests a build log they can wait on: what the
// build says about where it is, as it says it.
package outputtest

import (
	"bytes"
	"strings"
	"sync"
)

// Log is a log safe for concurrent writes that tells a test when what it
// holds meets a condition.
type Log struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	watches []watch
}

type watch struct {
	cond func(string) bool
	ch   chan struct{}
}

// Write appends p and wakes the waits it satisfies.
func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	l.check()
	return len(p), nil
}

// When returns a channel closed once the log meets cond.
func (l *Log) When(cond func(log string) bool) <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := watch{cond, make(chan struct{})}
	l.watches = append(l.watches, w)
	l.check()
	return w.ch
}

// Says returns a channel closed once the log holds s.
func (l *Log) Says(s string) <-chan struct{} {
	return l.When(func(log string) bool { return strings.Contains(log, s) })
}

func (l *Log) check() {
	kept := l.watches[:0]
	for _, w := range l.watches {
		if w.cond(l.buf.String()) {
			close(w.ch)
		} else {
			kept = append(kept, w)
		}
	}
	l.watches = kept
}

// String returns what the log holds.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
