package main

import "context"

type command interface {
	Run(ctx context.Context, args []string) error
}

// moreCommands returns the commands beyond the calendar ones.
func (m *Main) moreCommands(name string) (command, bool) {
	switch name {
	case "run":
		return &RunCommand{m}, true
	case "serve":
		return &ServeCommand{m}, true
	case "preview":
		return &PreviewCommand{m}, true
	case "submit":
		return &SubmitCommand{m}, true
	case "extend":
		return &ExtendCommand{m}, true
	case "overdue":
		return &OverdueCommand{m}, true
	case "stats":
		return &StatsCommand{m}, true
	case "log":
		return &LogCommand{m}, true
	}
	return nil, false
}
