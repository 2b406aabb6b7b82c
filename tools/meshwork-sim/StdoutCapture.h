// Per-node standard output for the meshwork-sim runner (docs/sim.md "Running your own
// application as N nodes"). The runner executable defines printf, puts, putchar and the other
// stdio entry points an application writes to stdout with; an application module loaded into it
// binds to these (the executable comes first in the dynamic linker's search order). Called from
// a task of an executor bound here, the text goes to that node's NodeOutput; from anywhere else
// (the runner itself, a thread no node owns) to the real stdout, unchanged. Only this executable
// carries the interposition: host programs keep their ordinary stdout.
#pragma once

namespace meshwork {
class Executor;
namespace sim {
class NodeOutput;
}
}  // namespace meshwork

namespace meshwork::tools {

/// Sends what tasks of `executor` write to stdout into `output` (nullptr: back to stdout).
void capture_stdout(const Executor &executor, sim::NodeOutput *output);

}  // namespace meshwork::tools
