// Package engine runs state machine executions.
//
// Its core is a pure interpreter: Start and (*Execution).Signal take a
// definition, the execution's state, a signal (a task's result, a timer's
// firing, a stop) and the time, and decide the history events to record and
// the commands to perform (run a task, start a timer). The interpreter does
// no I/O and reads no clock, so it is deterministic given its inputs and can
// be driven by any driver: Run drives it in memory on a virtual clock; the
// durable engine persists each step with its commands before performing
// them.
//
//	def, _ := asl.Parse(src)
//	res, err := engine.Run(ctx, def, input, engine.RunOptions{Info: info, Handler: h})
//	fmt.Println(res.Status, value.EncodeString(res.Output))
//
// An Execution is not safe for concurrent use: a driver delivers one signal
// at a time.
package engine
