// Command conformance runs the recorded conformance suites against Baton
// and prints pass rates by feature.
//
//	go run ./cmd/conformance asl ../shared/conformance/asl [--json] [--via-api]
//	go run ./cmd/conformance asl-validation ../shared/conformance/asl-validation [--json]
//	go run ./cmd/conformance jsonata ../shared/conformance/jsonata [--json]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/batonrun/baton/internal/conformance"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("conformance", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object instead of text")
	verbose := fs.Bool("v", false, "print every failure with its reason")
	viaAPI := fs.Bool("via-api", false, "asl: run the cases through a real server's API and compare histories event by event")
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != 2 {
		fmt.Fprintln(os.Stderr, "usage: conformance asl|asl-validation|jsonata DIR [--json] [-v] [--via-api]")
		return 2
	}
	var r *conformance.Report
	var err error
	switch pos[0] {
	case "asl":
		if *viaAPI {
			r, err = conformance.RunASLViaAPI(pos[1])
		} else {
			r, err = conformance.RunASL(pos[1])
		}
	case "asl-validation":
		r, err = conformance.RunASLValidation(pos[1])
	case "jsonata":
		r, err = conformance.RunJSONata(pos[1])
	default:
		fmt.Fprintf(os.Stderr, "conformance: unknown suite %q\n", pos[0])
		return 2
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		return 1
	}
	if *asJSON {
		if r.Failures == nil {
			r.Failures = []string{}
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(os.Stderr, "conformance:", err)
			return 1
		}
		return 0
	}
	printText(r, *verbose)
	return 0
}

func printText(r *conformance.Report, verbose bool) {
	fmt.Printf("suite %s: %d/%d passed (%.1f%%)\n", r.Suite, r.Passed, r.Total, pct(r.Passed, r.Total))
	if r.JSONPath != nil {
		fmt.Printf("  jsonpath: %d/%d (%.1f%%)\n", r.JSONPath.Passed, r.JSONPath.Total, pct(r.JSONPath.Passed, r.JSONPath.Total))
	}
	if r.JSONata != nil {
		fmt.Printf("  jsonata:  %d/%d (%.1f%%)\n", r.JSONata.Passed, r.JSONata.Total, pct(r.JSONata.Passed, r.JSONata.Total))
	}
	if r.History != nil {
		fmt.Printf("  history:  %d/%d matched (%.1f%%)\n", r.History.Matched, r.History.Total, pct(r.History.Matched, r.History.Total))
	}
	features := make([]string, 0, len(r.ByFeature))
	for f := range r.ByFeature {
		features = append(features, f)
	}
	sort.Strings(features)
	fmt.Println("by feature:")
	for _, f := range features {
		t := r.ByFeature[f]
		fmt.Printf("  %-40s %4d/%-4d\n", f, t.Passed, t.Total)
	}
	if verbose {
		for _, d := range r.Details {
			fmt.Printf("FAIL %s: %s\n", d.Name, d.Reason)
		}
	} else if len(r.Failures) > 0 {
		fmt.Printf("%d failures (-v for reasons)\n", len(r.Failures))
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}
