/* rules/runtime_permanently_blocked: doc-only rule for `godark goroutines`:
 * goroutines that can never wake (nil channel, empty select, (leaked)). */
#include "rule.h"

const struct rule rule_runtime_permanently_blocked = {
    .id = "GD903",
    .name = "permanently-blocked",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "Goroutines in a dump are blocked forever: nil channel, empty select, or marked (leaked)",
    .why = "A send or receive on a nil channel and a `select {}` never return, and Go 1.26's goroutine leak "
           "profile marks `(leaked)` the goroutines whose channel or lock is unreachable: the garbage collector "
           "proved that nothing can wake them. Unlike a long channel wait, there is no load under which these "
           "are fine (the main goroutine parked in `select {}` is not reported). The usual cause of a nil "
           "channel is a struct field or variable that was never made with make().",
    .bad = "package main\n"
           "\n"
           "import \"time\"\n"
           "\n"
           "type worker struct{ jobs chan int }\n"
           "\n"
           "// jobs was never made: the send blocks forever.\n"
           "func main() {\n"
           "\tw := &worker{}\n"
           "\tgo func() { w.jobs <- 1 }()\n"
           "\ttime.Sleep(time.Second)\n"
           "}\n",
    .good = "package main\n"
            "\n"
            "import \"time\"\n"
            "\n"
            "type worker struct{ jobs chan int }\n"
            "\n"
            "func main() {\n"
            "\tw := &worker{jobs: make(chan int, 1)}\n"
            "\tgo func() { w.jobs <- 1 }()\n"
            "\ttime.Sleep(time.Second)\n"
            "}\n",
    .fix_safety = NULL,
    .kinds = {0},
    .visit = NULL,
};
