/* rules/runtime_goroutine_growth: doc-only rule for `godark diff`: the
 * goroutines blocked at one site grew between two snapshots. */
#include "rule.h"

const struct rule rule_runtime_goroutine_growth = {
    .id = "GD902",
    .name = "goroutine-growth",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "The number of goroutines blocked at one line grew between two snapshots",
    .why = "A leak shows as a count that only goes up: every request, tick or job leaves one more goroutine "
           "parked at the same line. `godark diff BEFORE AFTER` matches block sites and stacks between two "
           "dumps of the same process and reports a user-code site whose blocked goroutines grew by at least "
           "--min-growth. Take the snapshots under the same load, some minutes apart; a site that grows under "
           "constant load is leaking.",
    .bad = "package main\n"
           "\n"
           "import (\n"
           "\t\"net/http\"\n"
           "\t\"time\"\n"
           ")\n"
           "\n"
           "// Each request starts a watcher that waits on a channel nobody closes.\n"
           "func handler(w http.ResponseWriter, r *http.Request) {\n"
           "\tdone := make(chan struct{})\n"
           "\tgo func() {\n"
           "\t\t<-done\n"
           "\t}()\n"
           "\ttime.Sleep(time.Millisecond)\n"
           "}\n"
           "\n"
           "func main() {\n"
           "\thttp.HandleFunc(\"/\", handler)\n"
           "\t_ = http.ListenAndServe(\"127.0.0.1:8080\", nil)\n"
           "}\n",
    .good = "package main\n"
            "\n"
            "import (\n"
            "\t\"net/http\"\n"
            "\t\"time\"\n"
            ")\n"
            "\n"
            "// The watcher ends when the handler returns.\n"
            "func handler(w http.ResponseWriter, r *http.Request) {\n"
            "\tdone := make(chan struct{})\n"
            "\tdefer close(done)\n"
            "\tgo func() {\n"
            "\t\t<-done\n"
            "\t}()\n"
            "\ttime.Sleep(time.Millisecond)\n"
            "}\n"
            "\n"
            "func main() {\n"
            "\thttp.HandleFunc(\"/\", handler)\n"
            "\t_ = http.ListenAndServe(\"127.0.0.1:8080\", nil)\n"
            "}\n",
    .fix_safety = NULL,
    .kinds = {0},
    .visit = NULL,
};
