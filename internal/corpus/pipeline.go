package corpus

import (
	"errors"
	"sync"
	"sync/atomic"
)

// The generator runs once and every format's writer runs in its own
// goroutine, fed batches of the same immutable items: generating costs
// less than writing eight formats, so this is what makes the corpus fast
// on more than one core. Memory in flight is bounded by batchSize ×
// (queueDepth+1) items per writer.
const (
	batchSize  = 256
	queueDepth = 4
)

// item is one call to make on a writer.
type item struct {
	c   *conv
	ev  *event // nil for begin/end
	end bool
}

type pipeline struct {
	batch  []item
	queues []chan []item
	errs   []error
	failed atomic.Bool
	wg     sync.WaitGroup
}

func newPipeline(ws []writer) *pipeline {
	p := &pipeline{errs: make([]error, len(ws))}
	for i, w := range ws {
		q := make(chan []item, queueDepth)
		p.queues = append(p.queues, q)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for b := range q {
				if p.errs[i] != nil {
					continue // drain, so the generator never blocks on a failed writer
				}
				for _, it := range b {
					if err := apply(w, it); err != nil {
						p.errs[i] = err
						p.failed.Store(true)
						break
					}
				}
			}
		}()
	}
	return p
}

func apply(w writer, it item) error {
	switch {
	case it.ev != nil:
		return w.message(it.c, it.ev)
	case it.end:
		return w.end(it.c)
	default:
		return w.begin(it.c)
	}
}

var errStopped = errors.New("stopped: a writer failed")

func (p *pipeline) add(it item) error {
	if p.failed.Load() {
		return errStopped
	}
	p.batch = append(p.batch, it)
	if len(p.batch) == batchSize {
		p.flush()
	}
	return nil
}

func (p *pipeline) flush() {
	if len(p.batch) == 0 {
		return
	}
	for _, q := range p.queues {
		q <- p.batch
	}
	p.batch = make([]item, 0, batchSize)
}

func (p *pipeline) message(c *conv, ev *event) error { return p.add(item{c: c, ev: ev}) }
func (p *pipeline) conv(c *conv, end bool) error     { return p.add(item{c: c, end: end}) }

// wait hands over the last batch, waits for every writer and returns
// their errors.
func (p *pipeline) wait() error {
	p.flush()
	for _, q := range p.queues {
		close(q)
	}
	p.wg.Wait()
	return errors.Join(p.errs...)
}
