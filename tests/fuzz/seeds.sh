# tests/fuzz/seeds.sh: sourced by run.sh and fuzz.sh. seeds TARGET prints
# the committed inputs of a fuzz target, one directory a line: its own
# corpus and regression crashers, then the repo's fixtures it is seeded from.
seeds() {
    echo "tests/fuzz/regress/$1"
    echo "tests/fuzz/corpus/$1"
    case $1 in
    check) echo tests/rules; echo examples; echo tests/cli/cases ;;
    parse) echo tests/rules; echo examples; echo tests/cli/cases ;;
    wants) echo tests/rules ;;
    traceback) echo tests/profile/cases ;;
    esac
}
