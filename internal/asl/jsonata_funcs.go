package asl

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"github.com/batonrun/baton/internal/java"
	"hash"
	"math"

	"github.com/batonrun/baton/internal/jsonata"
	"github.com/batonrun/baton/internal/value"
)

// stepFunctionsFunctions returns the functions Step Functions adds to
// JSONata: $partition, $range, $hash, $random, $uuid and $parse. They are
// built per evaluation because $random and $uuid draw from env's sources.
func stepFunctionsFunctions(env *Env) map[string]*jsonata.Function {
	fns := make(map[string]*jsonata.Function, 6)
	add := func(name, sig string, fn func(args []any) (any, error)) {
		f, err := jsonata.NewFunction(name, sig, fn)
		if err != nil {
			panic(fmt.Sprintf("asl: bad signature for $%s: %v", name, err)) // a programming error
		}
		fns[name] = f
	}
	add("partition", "<an:a>", sfnPartition)
	add("range", "<nnn:a>", sfnRange)
	add("hash", "<ss:s>", sfnHash)
	add("random", "<n?:n>", func(args []any) (any, error) {
		if len(args) > 0 && args[0] != nil {
			seed := args[0].(float64)
			return java.NewRandom(int64(seed)).NextDouble(), nil
		}
		if env.Rand != nil {
			return float64(env.Rand.Uint64()>>11) / (1 << 53), nil
		}
		return java.NewRandom(0).NextDouble(), nil
	})
	add("uuid", "<:s>", func([]any) (any, error) {
		if env.NewUUID != nil {
			return env.NewUUID(), nil
		}
		return "00000000-0000-4000-8000-000000000000", nil
	})
	add("parse", "<s:j>", func(args []any) (any, error) {
		s, _ := args[0].(string)
		v, err := value.DecodeString(s)
		if err != nil {
			return nil, &Failure{Name: ErrQueryEvaluationError, Cause: fmt.Sprintf("The function $parse could not parse its argument as JSON: %v", err)}
		}
		return v, nil
	})
	return fns
}

func sfnPartition(args []any) (any, error) {
	arr, _ := args[0].([]any)
	n := args[1].(float64)
	if n <= 0 || n != math.Trunc(n) {
		return nil, &Failure{Name: ErrQueryEvaluationError, Cause: fmt.Sprintf("The function $partition requires a positive integer chunk size, got %s", value.FormatNumber(n))}
	}
	size := int(n)
	out := make([]any, 0, (len(arr)+size-1)/size)
	for i := 0; i < len(arr); i += size {
		end := min(i+size, len(arr))
		chunk := make([]any, end-i)
		copy(chunk, arr[i:end])
		out = append(out, chunk)
	}
	return out, nil
}

// maxRangeItems is the largest array $range may build, as States.ArrayRange.
const maxRangeItems = 1000

func sfnRange(args []any) (any, error) {
	start, end, step := args[0].(float64), args[1].(float64), args[2].(float64)
	for _, f := range []float64{start, end, step} {
		if f != math.Trunc(f) {
			return nil, &Failure{Name: ErrQueryEvaluationError, Cause: "The function $range requires integer arguments"}
		}
	}
	if step == 0 {
		return nil, &Failure{Name: ErrQueryEvaluationError, Cause: "The function $range requires a non-zero step"}
	}
	var out []any
	for x := start; (step > 0 && x <= end) || (step < 0 && x >= end); x += step {
		if len(out) == maxRangeItems {
			return nil, &Failure{Name: ErrQueryEvaluationError, Cause: fmt.Sprintf("The function $range would return more than %d items", maxRangeItems)}
		}
		out = append(out, x)
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

func sfnHash(args []any) (any, error) {
	data, alg := args[0].(string), args[1].(string)
	var h hash.Hash
	switch alg {
	case "MD5":
		h = md5.New()
	case "SHA-1":
		h = sha1.New()
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return nil, &Failure{Name: ErrQueryEvaluationError, Cause: fmt.Sprintf(
			"The function $hash does not support the algorithm '%s'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512", alg)}
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}
