package main

import "context"

type command interface {
	Run(ctx context.Context, args []string) error
}

// moreCommands returns the commands beyond the calendar ones.
func (m *Main) moreCommands(name string) (command, bool) {
	return nil, false
}
