// Command jsonata benchmarks Baton's JSONata engine on representative
// expressions over a generated document of about 1 MB.
//
//	go run ./bench/jsonata                      # Go results
//	go run ./bench/jsonata -write-data FILE     # write the document for bench.js
//	go run ./bench/jsonata -compare js.json     # print Go vs jsonata-js ratios
//
// run.sh does all three with jsonata-js from npm.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"github.com/batonrun/baton/internal/jsonata"
	"github.com/batonrun/baton/internal/value"
)

type benchExpr struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
}

func main() {
	exprsFile := flag.String("exprs", "", "expression list (default: exprs.json beside this program)")
	writeData := flag.String("write-data", "", "write the generated document to this file and exit")
	compare := flag.String("compare", "", "JSON file of jsonata-js ops/s (from bench.js) to compare with")
	duration := flag.Duration("duration", time.Second, "time spent on each expression")
	flag.Parse()

	doc := generate()
	if *writeData != "" {
		if err := os.WriteFile(*writeData, value.Encode(doc), 0o644); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *exprsFile == "" {
		*exprsFile = defaultExprsFile()
	}
	b, err := os.ReadFile(*exprsFile)
	if err != nil {
		log.Fatal(err)
	}
	var exprs []benchExpr
	if err := json.Unmarshal(b, &exprs); err != nil {
		log.Fatal(err)
	}
	var js map[string]float64
	if *compare != "" {
		b, err := os.ReadFile(*compare)
		if err != nil {
			log.Fatal(err)
		}
		if err := json.Unmarshal(b, &js); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("document: %d bytes of JSON\n", len(value.Encode(doc)))
	fmt.Printf("%-24s %14s %14s %8s\n", "expression", "baton ops/s", "jsonata-js", "ratio")
	var ratios []float64
	for _, e := range exprs {
		ops, err := run(e.Expr, doc, *duration)
		if err != nil {
			log.Fatalf("%s: %v", e.Name, err)
		}
		if js == nil {
			fmt.Printf("%-24s %14.1f\n", e.Name, ops)
			continue
		}
		r := ops / js[e.Name]
		ratios = append(ratios, r)
		fmt.Printf("%-24s %14.1f %14.1f %7.2fx\n", e.Name, ops, js[e.Name], r)
	}
	if len(ratios) > 0 {
		sort.Float64s(ratios)
		fmt.Printf("median ratio %.2fx, minimum %.2fx\n", ratios[len(ratios)/2], ratios[0])
	}
}

func defaultExprsFile() string {
	_, err := os.Stat("exprs.json")
	if err == nil {
		return "exprs.json"
	}
	return filepath.Join("bench", "jsonata", "exprs.json")
}

// run evaluates expr repeatedly for about d and returns evaluations per
// second.
func run(src string, doc any, d time.Duration) (float64, error) {
	expr, err := jsonata.Compile(src)
	if err != nil {
		return 0, err
	}
	if _, _, err := expr.Evaluate(doc, nil); err != nil {
		return 0, err
	}
	runtime.GC()
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		if _, _, err := expr.Evaluate(doc, nil); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// generate builds a deterministic document of customers, products and
// orders, about 1 MB as JSON.
func generate() any {
	r := rand.New(rand.NewPCG(1, 2))
	first := []string{"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Ken", "Margaret", "Linus", "Radia"}
	last := []string{"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Thompson", "Hamilton", "Torvalds", "Perlman"}
	countries := []string{"DE", "FR", "US", "JP", "BR", "IN"}
	tiers := []string{"bronze", "silver", "gold"}
	domains := []string{"example.com", "example.org", "mail.test", "corp.example"}
	categories := []string{"tools", "garden", "kitchen", "toys", "books"}
	statuses := []string{"pending", "shipped", "delivered", "cancelled"}

	customers := make([]any, 1000)
	for i := range customers {
		name := first[r.IntN(len(first))] + " " + last[r.IntN(len(last))]
		customers[i] = value.ObjectOf(
			"id", fmt.Sprintf("C%04d", i),
			"name", name,
			"email", fmt.Sprintf("user%d@%s", i, domains[r.IntN(len(domains))]),
			"country", countries[r.IntN(len(countries))],
			"tier", tiers[r.IntN(len(tiers))],
		)
	}
	products := make([]any, 200)
	for i := range products {
		tags := []any{categories[r.IntN(len(categories))], fmt.Sprintf("t%d", r.IntN(20)), fmt.Sprintf("t%d", r.IntN(20))}
		products[i] = value.ObjectOf(
			"sku", fmt.Sprintf("P%03d", i),
			"name", fmt.Sprintf("Product %d", i),
			"category", categories[r.IntN(len(categories))],
			"price", float64(r.IntN(20000))/100,
			"tags", tags,
		)
	}
	orders := make([]any, 4500)
	for i := range orders {
		items := make([]any, 1+r.IntN(4))
		for j := range items {
			items[j] = value.ObjectOf(
				"sku", fmt.Sprintf("P%03d", r.IntN(200)),
				"qty", float64(1+r.IntN(5)),
				"price", float64(r.IntN(20000))/100,
			)
		}
		date := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(365*24*60)) * time.Minute)
		orders[i] = value.ObjectOf(
			"id", fmt.Sprintf("O%05d", i),
			"customerId", fmt.Sprintf("C%04d", r.IntN(1000)),
			"date", date.Format("2006-01-02T15:04:05.000Z"),
			"status", statuses[r.IntN(len(statuses))],
			"items", items,
		)
	}
	return value.ObjectOf("customers", customers, "products", products, "orders", orders)
}
