package main

import (
	"fmt"
	"io"
	"reflect"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"hanchot"
)

// Column widths of the workbook, in characters.
const (
	xlsxMinWidth = 6
	xlsxMaxWidth = 60
)

// writeXLSX writes records as an Excel workbook of one sheet: a bold
// header row in the output's language, frozen and with a filter; dates
// and times as Excel dates (dd/mm/yyyy, dd/mm/yyyy hh:mm); counts as
// numbers and shares as percentages; columns as wide as their content.
func writeXLSX(w io.Writer, l Lang, sheet string, cols []column, v reflect.Value) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	styles, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	rows := make([][]any, 0, v.Len()+1)
	widths := make([]int, len(cols))
	header := make([]any, len(cols))
	for j, c := range cols {
		h := l.T("col." + c.name)
		header[j] = excelize.Cell{StyleID: styles.header, Value: h}
		widths[j] = utf8.RuneCountInString(h) + 2 // room for the filter button
	}
	rows = append(rows, header)
	for i := 0; i < v.Len(); i++ {
		row := make([]any, len(cols))
		for j, c := range cols {
			cell, width := xlsxCell(l, v.Index(i).Field(c.index), c, styles)
			row[j] = cell
			widths[j] = max(widths[j], width)
		}
		rows = append(rows, row)
	}

	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for j, width := range widths {
		if err := sw.SetColWidth(j+1, j+1, float64(min(max(width+1, xlsxMinWidth), xlsxMaxWidth))); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(len(cols), len(rows))
	if err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

type xlsxStyles struct{ header, date, datetime, percent int }

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	dateFmt, datetimeFmt, percentFmt := "dd/mm/yyyy", "dd/mm/yyyy hh:mm", "0%"
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}); err != nil {
		return s, err
	}
	if s.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return s, err
	}
	if s.datetime, err = f.NewStyle(&excelize.Style{CustomNumFmt: &datetimeFmt}); err != nil {
		return s, err
	}
	if s.percent, err = f.NewStyle(&excelize.Style{CustomNumFmt: &percentFmt}); err != nil {
		return s, err
	}
	return s, nil
}

// xlsxCell returns a field's cell and how many characters wide it shows.
func xlsxCell(l Lang, v reflect.Value, c column, s xlsxStyles) (any, int) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, 0
		}
		v = v.Elem()
	}
	switch x := v.Interface().(type) {
	case hanchot.Date:
		if x.IsZero() {
			return nil, 0
		}
		return excelize.Cell{StyleID: s.date, Value: time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)}, 10
	case time.Time:
		if x.IsZero() {
			return nil, 0
		}
		// The wall clock of the configured zone: Excel has no zones.
		return excelize.Cell{StyleID: s.datetime, Value: x}, 16
	case float64:
		if c.percent {
			return excelize.Cell{StyleID: s.percent, Value: x}, 5
		}
		return x, len(fmt.Sprint(x))
	case int, int64:
		return x, len(fmt.Sprint(x))
	}
	text := csvCell(v)
	if c.word {
		text = l.word(text)
	}
	return text, utf8.RuneCountInString(text)
}
