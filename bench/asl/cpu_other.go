//go:build !unix

package main

import "time"

// processCPU returns 0 where getrusage is missing; the CPU columns are then
// left out.
func processCPU() time.Duration { return 0 }
