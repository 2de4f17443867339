/* rules/runtime_leak_suspect: doc-only rule for `godark goroutines`: many
 * goroutines parked on a channel, select or sync primitive at one site. */
#include "rule.h"

const struct rule rule_runtime_leak_suspect = {
    .id = "GD901",
    .name = "goroutine-leak-suspect",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "Many goroutines in a dump are blocked on a channel, select or sync primitive at the same line",
    .why = "A goroutine blocked on a channel operation, a select, a WaitGroup, a mutex or a condition variable "
           "that nobody will ever wake keeps its stack and everything it references alive. One such goroutine "
           "per request or per job becomes thousands: memory grows until the process is restarted. "
           "`godark goroutines` groups the goroutines of a dump by the line where they block (the first frame "
           "outside the runtime and sync) and reports a site of user code where at least --min-count "
           "goroutines wait (confidence high when they have waited at least --min-wait minutes, or when `godark "
           "check` predicted the leak at that line, with --source). Idle worker pools look the same in a single "
           "snapshot: with --source, a pool of the constant size of the loop that starts it, idle range "
           "receivers started at one place and waits a timer ends are low confidence; compare two snapshots "
           "with `godark diff` to see whether the site keeps growing. In a dump taken when the tests ended "
           "(--at-test-end) or at a go test timeout, every blocked goroutine of user code is a suspect, with "
           "the test that started it.",
    .bad = "package main\n"
           "\n"
           "import \"fmt\"\n"
           "\n"
           "func fetch(id int) string { return fmt.Sprint(id) }\n"
           "\n"
           "// first returns the first answer; the other senders block forever\n"
           "// on the unbuffered channel and leak.\n"
           "func first(ids []int) string {\n"
           "\tch := make(chan string)\n"
           "\tfor _, id := range ids {\n"
           "\t\tgo func(id int) { ch <- fetch(id) }(id)\n"
           "\t}\n"
           "\treturn <-ch\n"
           "}\n"
           "\n"
           "func main() { fmt.Println(first([]int{1, 2, 3})) }\n",
    .good = "package main\n"
            "\n"
            "import \"fmt\"\n"
            "\n"
            "func fetch(id int) string { return fmt.Sprint(id) }\n"
            "\n"
            "// first returns the first answer; the buffer lets every sender finish.\n"
            "func first(ids []int) string {\n"
            "\tch := make(chan string, len(ids))\n"
            "\tfor _, id := range ids {\n"
            "\t\tgo func(id int) { ch <- fetch(id) }(id)\n"
            "\t}\n"
            "\treturn <-ch\n"
            "}\n"
            "\n"
            "func main() { fmt.Println(first([]int{1, 2, 3})) }\n",
    .fix_safety = NULL,
    .kinds = {0},
    .visit = NULL,
};
