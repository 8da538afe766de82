package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/batonrun/baton/internal/engine"
	"github.com/batonrun/baton/internal/value"
)

var update = flag.Bool("update", false, "rewrite machines/*.output.json from Baton's outputs")

// TestMachines runs each benchmarked machine once and compares its output
// with machines/NAME.output.json, the output peer.js checks too. It is
// cheap enough for go test ./...; -update rewrites the expected outputs.
func TestMachines(t *testing.T) {
	t.Parallel()
	for _, name := range machineNames {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, err := loadMachine(name)
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				out, err := m.run(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				b := append(value.EncodeIndent(out, "  "), '\n')
				if err := os.WriteFile(filepath.Join("machines", name+".output.json"), b, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err := m.check(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestChoiceRejects breaks one screening rule of the Choice machine's input
// per case: each must end in Refund.Rejected, so the benchmarked input
// reaches Approved only because every rule holds.
func TestChoiceRejects(t *testing.T) {
	t.Parallel()
	m, err := loadMachine("choice")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, field string
		v           any
	}{
		{"purchase", "type", "purchase"},
		{"amount above policy", "amount", 6000.0},
		{"currency", "currency", "JPY"},
		{"before 2020", "submittedAt", "2019-12-31T23:59:59Z"},
		{"after deadline in another offset", "submittedAt", "2026-03-31T23:00:01Z"},
		{"email domain", "email", "ada@example.net"},
		{"country", "country", "FR"},
		{"priority at policy maximum", "priority", 5.0},
		{"notes", "notes", "call me"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := value.Clone(m.input).(*value.Object)
			req, _ := in.Get("request")
			req.(*value.Object).Set(tt.field, tt.v)
			bad := *m
			bad.input = in
			res, err := bad.execute(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != engine.StatusFailed || res.Error != "Refund.Rejected" {
				t.Fatalf("request with %s = %v: status %s, error %q; want FAILED, Refund.Rejected", tt.field, tt.v, res.Status, res.Error)
			}
		})
	}
}

func BenchmarkPassChain(b *testing.B) { benchmarkMachine(b, "passchain") }
func BenchmarkChoice(b *testing.B)    { benchmarkMachine(b, "choice") }
func BenchmarkMap100(b *testing.B)    { benchmarkMachine(b, "map100") }

func benchmarkMachine(b *testing.B, name string) {
	m, err := loadMachine(name)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if err := m.check(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.run(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
