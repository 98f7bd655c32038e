#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""genesis-sweep: run a parameter sweep of a Genesis (or any ns-3) program.

Reads a YAML sweep description, expands its parameter grid x seeds x run
numbers into one command line per run (cartesian product, in the order the
file gives; run ids 1, 2, ...), writes them with a manifest, runs them with
GNU parallel (or prints them, or writes a Slurm job-array script), then
collects every run's database into one results database with
`genesis-db-merge --runs`.

  utils/genesis-sweep.py SWEEP.yaml [--out DIR] [--jobs N]   run and collect
  utils/genesis-sweep.py SWEEP.yaml --dry-run                print the commands
  utils/genesis-sweep.py SWEEP.yaml --slurm [--out DIR]      write a Slurm array job
  utils/genesis-sweep.py SWEEP.yaml --collect [--out DIR]    collect (after Slurm)

The sweep file (see doc/distributed-section.rst):

  program: genesis-diffserv        # in the build directory, or a path with a '/'
  args: {duration: 3, warmup: 1.5}  # fixed arguments: --duration=3 ... (or a list)
  grid:                             # one run per combination, first key outermost
    voiceFlows: [2, 4]
    floodRate: [6Mbps, 8Mbps]
  seeds: [1, 2]                     # --RngSeed values (default [1])
  runs: [1]                         # --RngRun values (default [1])
  database: db                      # the program's option naming its database file
  output: sweep-diffserv            # output directory (default: sweep-<file name>)
  jobs: 2                           # parallel jobs (default: the number of cores)

Exit status: 0 every run succeeded and was collected; 1 some run failed (it
is in the results database with its exit status); 2 a bad sweep file or
command line (the message names file:line:column and the field); 3 the
collection failed.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

try:
    import yaml
except ImportError:  # pragma: no cover - depends on the machine
    sys.stderr.write("genesis-sweep: PyYAML is missing: install the Debian package python3-yaml "
                     "(utils/debian-packages.txt)\n")
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
KEYS = ("program", "args", "grid", "seeds", "runs", "database", "output", "jobs", "cwd")
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_:.-]*$")
MANIFEST_FIELDS = ("run_id", "database", "seed", "run", "exit_status", "parameters", "command",
                   "output")


class SweepError(Exception):
    """A bad sweep file or command line (exit status 2)."""


def where(path, node):
    m = node.start_mark
    return "%s:%d:%d" % (path, m.line + 1, m.column + 1)


class Sweep:
    """A validated sweep description."""

    def __init__(self, path):
        self.path = path
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise SweepError("%s: cannot read the sweep file: %s" % (path, e.strerror))
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            at = "%s:%d:%d" % (path, mark.line + 1, mark.column + 1) if mark else path
            raise SweepError("%s: not valid YAML: %s" % (at, getattr(e, "problem", e)))
        if root is None:
            raise SweepError("%s: the sweep file is empty; give at least 'program' and "
                             "'database'" % path)
        self._loader = loader
        if not isinstance(root, yaml.MappingNode):
            raise SweepError("%s: the sweep file must be a mapping (program: ..., grid: ...)"
                             % where(path, root))
        fields = {}
        for k, v in root.value:
            key = self._scalar(k, "a key")
            if key not in KEYS:
                raise SweepError("%s: field '%s': unknown field; the fields are %s"
                                 % (where(path, k), key, ", ".join(KEYS)))
            if key in fields:
                raise SweepError("%s: field '%s': given twice" % (where(path, k), key))
            fields[key] = v
        self.root = root
        for required in ("program", "database"):
            if required not in fields:
                raise SweepError("%s: field '%s' is missing; %s"
                                 % (where(path, root), required,
                                    "the program to run, e.g. 'program: genesis-diffserv'"
                                    if required == "program" else
                                    "the program's option naming its database file, e.g. "
                                    "'database: db' for --db=FILE"))
        self.program = self._text(fields["program"], "program")
        self.database = self._option(fields["database"], "database")
        self.args = self._args(fields.get("args"))
        self.grid = self._grid(fields.get("grid"))
        self.seeds = self._ints(fields.get("seeds"), "seeds", 1, [1])
        self.runs = self._ints(fields.get("runs"), "runs", 1, [1])
        self.jobs = self._ints(fields.get("jobs"), "jobs", 1, None, single=True)
        self.output = (self._text(fields["output"], "output") if "output" in fields else None)
        self.cwd = self._text(fields["cwd"], "cwd") if "cwd" in fields else None
        taken = {a[0]: a[2] for a in self.args}
        for name, node, _ in self.grid:
            if name in taken:
                raise SweepError("%s: field 'grid.%s': also a fixed argument (%s); give it in "
                                 "one place" % (where(path, node), name, where(path, taken[name])))
            if name in (self.database, "RngSeed", "RngRun"):
                raise SweepError("%s: field 'grid.%s': set by the sweep itself (database, seeds, "
                                 "runs)" % (where(path, node), name))
        for name, _, node in self.args:
            if name in (self.database, "RngSeed", "RngRun"):
                raise SweepError("%s: field 'args.%s': set by the sweep itself (database, seeds, "
                                 "runs)" % (where(path, node), name))

    # -- field readers -------------------------------------------------------
    def _value(self, node):
        return self._loader.construct_object(node, deep=True)

    def _scalar(self, node, what):
        if not isinstance(node, yaml.ScalarNode):
            raise SweepError("%s: %s must be a plain value" % (where(self.path, node), what))
        return self._value(node)

    def _text(self, node, field):
        v = self._scalar(node, "field '%s'" % field) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(node, yaml.ScalarNode) or v is None or str(v) == "":
            raise SweepError("%s: field '%s': give a non-empty text" % (where(self.path, node),
                                                                      field))
        return str(v)

    def _option(self, node, field):
        v = self._text(node, field).lstrip("-")
        if not NAME.match(v):
            raise SweepError("%s: field '%s': '%s' is not an option name (letters, digits, "
                             "'_', '-', ':', '.')" % (where(self.path, node), field, v))
        return v

    def _arg_value(self, node, field):
        if not isinstance(node, yaml.ScalarNode):
            raise SweepError("%s: field '%s': give a plain value (a number, a word), not a "
                             "list or mapping" % (where(self.path, node), field))
        v = self._value(node)
        if v is None:
            raise SweepError("%s: field '%s': the value is empty; ns-3's CommandLine refuses "
                             "an empty --x= (use a word such as none)"
                             % (where(self.path, node), field))
        return v

    def _args(self, node):
        """Fixed arguments: [(name or None, value, node)]."""
        if node is None:
            return []
        out = []
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                name = self._option(k, "args")
                out.append((name, self._arg_value(v, "args." + name), k))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                out.append((None, self._arg_value(v, "args[%d]" % i), v))
        else:
            raise SweepError("%s: field 'args': give a mapping (duration: 3) or a list of "
                             "arguments" % where(self.path, node))
        return out

    def _grid(self, node):
        """[(name, node, [values])] in file order."""
        if node is None:
            return []
        if not isinstance(node, yaml.MappingNode):
            raise SweepError("%s: field 'grid': give a mapping of option names to lists of "
                             "values, e.g. 'rate: [1Mbps, 2Mbps]'" % where(self.path, node))
        out = []
        for k, v in node.value:
            name = self._option(k, "grid")
            if any(name == g[0] for g in out):
                raise SweepError("%s: field 'grid.%s': given twice" % (where(self.path, k), name))
            if not isinstance(v, yaml.SequenceNode) or not v.value:
                raise SweepError("%s: field 'grid.%s': give a non-empty list of values, e.g. "
                                 "[1, 2]" % (where(self.path, v), name))
            out.append((name, k, [self._arg_value(x, "grid.%s" % name) for x in v.value]))
        return out

    def _ints(self, node, field, minimum, default, single=False):
        if node is None:
            return default
        items = [node] if single else None
        if not single:
            if not isinstance(node, yaml.SequenceNode) or not node.value:
                raise SweepError("%s: field '%s': give a non-empty list of integers, e.g. "
                                 "[1, 2, 3]" % (where(self.path, node), field))
            items = node.value
        values = []
        for x in items:
            v = self._value(x) if isinstance(x, yaml.ScalarNode) else None
            if not isinstance(v, int) or isinstance(v, bool) or v < minimum:
                raise SweepError("%s: field '%s': '%s' is not an integer >= %d"
                                 % (where(self.path, x), field,
                                    getattr(x, "value", "?"), minimum))
            values.append(v)
        if not single and len(set(values)) != len(values):
            raise SweepError("%s: field '%s': a value is given twice" % (where(self.path, node),
                                                                         field))
        return values[0] if single else values


def text_of(v):
    """A YAML value as a command-line word."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def expand(sweep):
    """[(params dict, seed, run)] in deterministic order: grid (first key outermost), seeds, runs."""
    combos = [[]]
    for name, _, values in sweep.grid:
        combos = [c + [(name, v)] for c in combos for v in values]
    out = []
    for c in combos:
        for s in sweep.seeds:
            for r in sweep.runs:
                out.append((dict(c), s, r))
    return out


def program_path(sweep, build_dir, cwd):
    p = sweep.program
    if "/" in p:
        return p if os.path.isabs(p) else os.path.normpath(os.path.join(cwd, p))
    return os.path.join(build_dir, p)


def plan(sweep, out_dir, build_dir, cwd):
    """The runs: dicts with run_id, argv, database, log, status, params, seed, run."""
    prog = program_path(sweep, build_dir, cwd)
    runs = []
    for i, (params, seed, run) in enumerate(expand(sweep), start=1):
        tag = "run-%04d" % i
        db = os.path.join(out_dir, "runs", tag + ".sqlite")
        argv = [prog]
        for name, value, _ in sweep.args:
            argv.append(text_of(value) if name is None else "--%s=%s" % (name, text_of(value)))
        for name, value in params.items():
            argv.append("--%s=%s" % (name, text_of(value)))
        argv += ["--RngSeed=%d" % seed, "--RngRun=%d" % run, "--%s=%s" % (sweep.database, db)]
        for a in argv:
            if "\t" in a or "\n" in a:
                raise SweepError("%s: argument %r of run %d holds a tab or a newline; the "
                                 "manifest cannot hold it" % (sweep.path, a, i))
        runs.append({"run_id": i, "argv": argv, "database": db, "seed": seed, "run": run,
                     "params": params, "log": os.path.join(out_dir, "runs", tag + ".log"),
                     "status": os.path.join(out_dir, "status", tag)})
    return runs


def shell_line(run, cwd):
    """What parallel (or a Slurm task) runs: the command, its log and its exit status."""
    q = shlex.quote
    return ("cd %s && %s >%s 2>&1; s=$?; echo $s >%s; exit $s"
            % (q(cwd), shlex.join(run["argv"]), q(run["log"]), q(run["status"])))


def write_manifest(path, runs, statuses):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\t".join(MANIFEST_FIELDS) + "\n")
        for r in runs:
            st = statuses.get(r["run_id"])
            f.write("\t".join([str(r["run_id"]), r["database"], str(r["seed"]), str(r["run"]),
                               "" if st is None else str(st), json.dumps(r["params"]),
                               shlex.join(r["argv"]), r["log"]]) + "\n")


def read_statuses(runs):
    out = {}
    for r in runs:
        try:
            with open(r["status"], encoding="utf-8") as f:
                out[r["run_id"]] = int(f.read().strip())
        except (OSError, ValueError):
            pass
    return out


def collect(runs, out_dir, merge, results):
    statuses = read_statuses(runs)
    missing = [r for r in runs if r["run_id"] not in statuses]
    if missing:
        r = missing[0]
        sys.stderr.write("genesis-sweep: run %d has no exit status (%s): it did not run or was "
                         "killed; run line %d of %s, then collect again (%d runs missing)\n"
                         % (r["run_id"], r["status"], r["run_id"],
                            os.path.join(out_dir, "commands.txt"), len(missing)))
        return 3
    manifest = os.path.join(out_dir, "manifest.tsv")
    write_manifest(manifest, runs, statuses)
    if not os.access(merge, os.X_OK):
        sys.stderr.write("genesis-sweep: %s not found; build it (./ns3 build genesis-db-merge) "
                         "or give --merge\n" % merge)
        return 3
    p = subprocess.run([merge, "--runs=" + results, "--manifest=" + manifest])
    if p.returncode != 0:
        sys.stderr.write("genesis-sweep: the collection failed (genesis-db-merge exit status "
                         "%d)\n" % p.returncode)
        return 3
    failed = [r["run_id"] for r in runs if statuses[r["run_id"]] != 0]
    if failed:
        sys.stderr.write("genesis-sweep: %d of %d runs failed (run ids %s); their logs are in "
                         "%s\n" % (len(failed), len(runs), " ".join(map(str, failed)),
                                   os.path.join(out_dir, "runs")))
        return 1
    print("results: %s (%d runs); try: sqlite3 %s \"SELECT run_id, seed, parameters FROM runs\""
          % (results, len(runs), results))
    return 0


def slurm_script(path, out_dir, n, commands, collect_cmd):
    with open(path, "w", encoding="utf-8") as f:
        f.write("#!/bin/bash\n"
                "# Slurm job array written by utils/genesis-sweep.py: task i runs line i of\n"
                "# %s. Submit, then collect when every task is done:\n"
                "#   jid=$(sbatch --parsable %s)\n"
                "#   sbatch --dependency=afterany:$jid --wrap %s\n"
                "#SBATCH --job-name=genesis-sweep\n"
                "#SBATCH --array=1-%d\n"
                "#SBATCH --ntasks=1\n"
                "#SBATCH --output=%s/slurm/%%A_%%a.out\n"
                "set -u\n"
                "line=\"$(sed -n \"${SLURM_ARRAY_TASK_ID}p\" %s)\"\n"
                "exec bash -c \"$line\"\n"
                % (commands, path, shlex.quote(collect_cmd), n, out_dir,
                   shlex.quote(commands)))
    os.chmod(path, 0o755)


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="genesis-sweep.py",
        description="Expand a YAML sweep description into runs, run them with GNU parallel (or "
                    "print them, or write a Slurm job array) and collect their databases into "
                    "one results database (genesis-db-merge --runs).")
    ap.add_argument("sweep", help="the sweep description (YAML)")
    ap.add_argument("--out", help="output directory (default: the sweep's 'output', else "
                                  "sweep-<name of the sweep file>)")
    ap.add_argument("--jobs", type=int, help="parallel jobs (default: the sweep's 'jobs', "
                                             "else the number of cores)")
    ap.add_argument("--build-dir", default=os.environ.get("GENESIS_BUILD_DIR",
                                                          os.path.join(TOP, "build")),
                    help="where programs named without a '/' are (default: $GENESIS_BUILD_DIR "
                         "or build/ at the top of the module)")
    ap.add_argument("--merge", help="the genesis-db-merge program (default: in --build-dir)")
    ap.add_argument("--results", help="results database (default: OUT/results.sqlite)")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print the command lines, one "
                      "per run in run-id order, and do nothing else")
    mode.add_argument("--slurm", action="store_true", help="write OUT/slurm-array.sh (a job "
                      "array: task i runs line i of OUT/commands.txt) and OUT/collect.sh")
    mode.add_argument("--collect", action="store_true", help="only collect the runs of OUT "
                      "(after a Slurm job array)")
    a = ap.parse_args(argv)
    try:
        sweep = Sweep(a.sweep)
        if a.jobs is not None and a.jobs < 1:
            raise SweepError("--jobs must be at least 1")
        jobs = a.jobs or sweep.jobs or os.cpu_count() or 1
        cwd = os.path.abspath(sweep.cwd or os.getcwd())
        name = os.path.splitext(os.path.basename(a.sweep))[0]
        out_dir = os.path.abspath(a.out or sweep.output or "sweep-" + name)
        build_dir = os.path.abspath(a.build_dir)
        runs = plan(sweep, out_dir, build_dir, cwd)
    except SweepError as e:
        sys.stderr.write("genesis-sweep: %s\n" % e)
        return 2
    merge = os.path.abspath(a.merge) if a.merge else os.path.join(build_dir, "genesis-db-merge")
    results = os.path.abspath(a.results) if a.results else os.path.join(out_dir, "results.sqlite")

    if a.dry_run:
        for r in runs:
            print(shlex.join(r["argv"]))
        return 0
    if a.collect:
        return collect(runs, out_dir, merge, results)

    prog = runs[0]["argv"][0]
    if not os.access(prog, os.X_OK):
        sys.stderr.write("genesis-sweep: %s: field 'program': %s is not an executable program "
                         "(build it, or give a path)\n" % (a.sweep, prog))
        return 2
    for d in ("runs", "status") + (("slurm",) if a.slurm else ()):
        os.makedirs(os.path.join(out_dir, d), exist_ok=True)
    for r in runs:  # a run of an earlier sweep into the same directory must not count
        if os.path.exists(r["status"]):
            os.remove(r["status"])
    commands = os.path.join(out_dir, "commands.txt")
    with open(commands, "w", encoding="utf-8") as f:
        for r in runs:
            f.write(shell_line(r, cwd) + "\n")
    write_manifest(os.path.join(out_dir, "manifest.tsv"), runs, {})
    collect_cmd = " ".join(shlex.quote(x) for x in
                           [sys.executable, os.path.abspath(__file__), os.path.abspath(a.sweep),
                            "--out", out_dir, "--build-dir", build_dir, "--merge", merge,
                            "--results", results, "--collect"])
    if a.slurm:
        script = os.path.join(out_dir, "slurm-array.sh")
        slurm_script(script, out_dir, len(runs), commands, collect_cmd)
        with open(os.path.join(out_dir, "collect.sh"), "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\n# Collect the runs once every array task is done.\nexec %s\n"
                    % collect_cmd)
        os.chmod(os.path.join(out_dir, "collect.sh"), 0o755)
        print("wrote %s (%d array tasks) and %s/collect.sh\n"
              "  jid=$(sbatch --parsable %s)\n"
              "  sbatch --dependency=afterany:$jid %s/collect.sh"
              % (script, len(runs), out_dir, script, out_dir))
        return 0

    parallel = shutil.which("parallel")
    if not parallel:
        sys.stderr.write("genesis-sweep: GNU parallel is not installed: install the Debian "
                         "package 'parallel' (utils/debian-packages.txt), or use --slurm or "
                         "--dry-run\n")
        return 2
    with open(commands, encoding="utf-8") as f:
        subprocess.run([parallel, "--will-cite", "--jobs", str(jobs), "--joblog",
                        os.path.join(out_dir, "joblog")], stdin=f)
    # parallel's own status counts the failed runs; each run's status file says which.
    return collect(runs, out_dir, merge, results)


if __name__ == "__main__":
    sys.exit(main())
