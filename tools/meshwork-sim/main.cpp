// meshwork-sim: runs an unmodified Mbed application as N simulated nodes (docs/sim.md "Running
// your own application as N nodes"). The application is a module built with
// meshwork_add_node_app(); this executable holds meshwork whole and exports it, so the module's
// undefined meshwork, Mbed and stdio symbols resolve here. Each node loads its own copy of the
// module (its own globals), with the node's main fiber current while the static constructors
// run, then calls the copy's main() on that fiber. Every node runs in this one OS thread in
// virtual time, so a seed gives the same output, byte for byte, on every run.
#include <dlfcn.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "MeshWorld.h"
#include "LibcRandom.h"
#include "StdoutCapture.h"
#include "meshwork/config/ApplicationConfiguration.h"
#include "meshwork/sim/Simulation.h"
#include "sim/Scheduler.h"
#include "sim/fiber/FiberExecutor.h"

namespace {

using meshwork::Duration;
using meshwork::Instant;
namespace sim = meshwork::sim;
namespace config = meshwork::config;

// "10s", "250ms", "1.5min", "2h", "100us"; a bare number is seconds.
std::optional<Duration> parse_duration(const std::string &text) {
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (...) {
        return std::nullopt;
    }
    const std::string unit = text.substr(used);
    double us_per = 0;
    if (unit.empty() || unit == "s")
        us_per = 1e6;
    else if (unit == "ms")
        us_per = 1e3;
    else if (unit == "us")
        us_per = 1;
    else if (unit == "min")
        us_per = 60e6;
    else if (unit == "h")
        us_per = 3600e6;
    else
        return std::nullopt;
    const double us = value * us_per;
    if (!(us >= 0) || us > 9.2e18)
        return std::nullopt;
    return Duration(static_cast<std::int64_t>(us));
}

// The node's tasks carry its context: what Mbed keeps per device (the default interface, DNS,
// trace, ...) answers for this node.
sim::FiberOptions with_context(sim::FiberOptions o, sim::Node &node) {
    o.context = &node.context();
    return o;
}

// A node's application: its executor (every task of the node a fiber) and its copy of the
// module. The module stays mapped until the process ends: its code is on the fibers' stacks
// while they unwind, and a device never runs its static destructors either (see run()).
class AppNode final : public sim::NodeAttachment {
  public:
    AppNode(sim::Node &node, sim::FiberOptions options)
        : context_(&node.context()),
          executor_(std::make_unique<sim::FiberExecutor>(node.simulation().scheduler(), node.name(),
                                                         with_context(options, node))) {
        meshwork::tools::capture_stdout(*executor_, &node.context().output());
        // The node's own rand(), seeded from the node's stream: a hash of its first value,
        // drawn from a copy, so the node's own draws stay as they were. (derive() of the node's
        // stream would not do: a derived stream's derive() depends on the seed alone.)
        meshwork::SeededRandom stream = node.simulation().derive_random(node.id());
        meshwork::tools::bind_libc_random(
            node.context(), static_cast<std::uint32_t>(
                                meshwork::mix64(stream.next_u64() ^ kLibcRandomStream) >> 32));
    }
    ~AppNode() override {
        const meshwork::Executor *e = executor_.get();
        executor_.reset();  // the fibers unwind, still writing to the node
        meshwork::tools::capture_stdout(*e, nullptr);
        meshwork::tools::unbind_libc_random(*context_);
    }

    sim::FiberExecutor &executor() { return *executor_; }
    void *handle = nullptr;

  private:
    // Mixed into the C library generator's seed ("libc").
    static constexpr std::uint64_t kLibcRandomStream = 0x6c696263;

    const sim::NodeContext *context_;
    std::unique_ptr<sim::FiberExecutor> executor_;
};

// A private directory for the nodes' copies of the module, removed with them at exit.
class CopyDir {
  public:
    CopyDir() {
        const char *base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/meshwork-sim-XXXXXX";
        std::vector<char> buf(pattern.begin(), pattern.end());
        buf.push_back('\0');
        if (::mkdtemp(buf.data()) != nullptr)
            path_ = buf.data();
    }
    ~CopyDir() {
        if (!path_.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(path_, ec);
        }
    }
    CopyDir(const CopyDir &) = delete;
    CopyDir &operator=(const CopyDir &) = delete;
    const std::string &path() const { return path_; }

  private:
    std::string path_;
};

// One private copy of the module per node: glibc loads an object once (it matches the path name,
// then the file's device and inode), so each node gets a file of its own, under its own name.
// The file is unlinked as soon as it is mapped: the mapping keeps it, and its inode cannot be
// reused while it does. nullptr and `error` set on failure.
void *load_copy(const std::string &image, const std::string &path, std::string &error) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(image.data(), static_cast<std::streamsize>(image.size()));
        if (!out) {
            error = "cannot write " + path;
            return nullptr;
        }
    }
    void *handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char *e = ::dlerror();
        error = e ? e : "dlopen failed";
    }
    ::unlink(path.c_str());
    return handle;
}

long peak_rss_kib() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace

int main(int argc, char **argv) {
    CLI::App cli{
        "Run an Mbed application module (meshwork_add_node_app) as N simulated nodes "
        "in deterministic virtual time"};
    std::string app_path;
    unsigned nodes = 1;
    std::uint64_t seed = 1;
    std::string until;
    std::size_t stack_kib = 128;
    bool stats = false;
    bool mesh = false;
    meshwork::tools::MeshOptions mesh_options;
    cli.add_option("--app", app_path, "the application module (.so)")->required();
    cli.add_option("-n,--nodes", nodes, "number of nodes")->check(CLI::Range(1u, 1000000u));
    cli.add_option("-s,--seed", seed, "scenario seed");
    cli.add_option("-u,--until", until,
                   "virtual time to run to (10s, 250ms, 2min, 1h, 100us); default: until idle");
    cli.add_option("--stack-kib", stack_kib, "stack per fiber, KiB")
        ->check(CLI::Range(std::size_t{16}, std::size_t{65536}));
    cli.add_flag("--stats", stats, "print nodes, wall time and peak memory to stderr");
    cli.add_flag("--mesh", mesh,
                 "put the nodes on a simulated 802.15.4 radio as a 6LoWPAN-ND mesh (node 1 the "
                 "border router); their LoWPANNDInterface joins it");
    cli.add_option("--topology", mesh_options.topology, "with --mesh: line, grid or random")
        ->check(CLI::IsMember({"line", "grid", "random"}));
    cli.add_option("--range", mesh_options.range_m, "with --mesh: radio range, metres")
        ->check(CLI::Range(1.0, 10000.0));
    cli.add_option("--spacing", mesh_options.spacing_m,
                   "with --mesh: line / grid spacing, metres (default 0.8 x range)")
        ->check(CLI::Range(0.0, 10000.0));
    cli.add_option("--pcap", mesh_options.pcap, "with --mesh: write the air to this pcap file");
    CLI11_PARSE(cli, argc, argv);

    std::optional<Duration> run_for;
    if (until.empty() && mesh)
        until = "5min";  // a mesh is never idle: its routing timers go on
    if (!until.empty()) {
        run_for = parse_duration(until);
        if (!run_for) {
            std::fprintf(stderr, "meshwork-sim: bad --until '%s'\n", until.c_str());
            return 2;
        }
    }
    std::ifstream in(app_path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "meshwork-sim: cannot read %s\n", app_path.c_str());
        return 2;
    }
    const std::string image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto wall_start = std::chrono::steady_clock::now();
    const long rss_start = peak_rss_kib();

    int status = 0;
    {
        CopyDir copies;
        if (copies.path().empty()) {
            std::fprintf(stderr, "meshwork-sim: cannot create a temporary directory\n");
            return 1;
        }
        sim::Simulation simulation(seed);
        std::unique_ptr<meshwork::tools::MeshWorld> world;
        if (mesh) {
            std::string error;
            auto positions = meshwork::tools::place_nodes(
                nodes, mesh_options,
                simulation.derive_random(sim::Simulation::kComponentStreamBase + 1), error);
            if (positions.empty()) {
                std::fprintf(stderr, "meshwork-sim: %s\n", error.c_str());
                return 2;
            }
            world = std::make_unique<meshwork::tools::MeshWorld>(simulation, mesh_options,
                                                                 std::move(positions));
            if (!world->open_capture())
                return 1;
        }
        sim::FiberOptions options;
        options.stack_size = stack_kib * 1024;
        std::vector<AppNode *> apps;
        unsigned load_failures = 0;
        for (unsigned i = 0; i < nodes; ++i) {
            sim::Node &node = simulation.add_node();
            if (world)
                world->attach(node);  // before the application: its sockets go first
            AppNode &app = node.attach(std::make_unique<AppNode>(node, options));
            apps.push_back(&app);
            // The node's main fiber loads the node's copy (its static constructors run as this
            // fiber), takes the configuration the module carries, and calls its main().
            app.executor().spawn(
                [&node, &app, &image, &status, &copies, &load_failures] {
                    std::string error;
                    app.handle = load_copy(image, copies.path() + "/" + node.name() + ".so", error);
                    if (app.handle == nullptr) {
                        // The first few (they are usually one cause: vm.max_map_count, memory).
                        if (++load_failures <= 3)
                            std::fprintf(stderr, "meshwork-sim: %s: %s\n", node.name().c_str(),
                                         error.c_str());
                        status = 1;
                        return;
                    }
                    using TableFn = const config::ConfigurationTable *(*)();
                    auto table = reinterpret_cast<TableFn>(::dlsym(
                        app.handle, "_ZN8meshwork6config31application_configuration_tableEv"));
                    if (table != nullptr && table() != nullptr) {
                        std::vector<std::string> errors;
                        node.context().set_config(std::make_shared<const config::Configuration>(
                            config::configuration_from_table(*table(), errors)));
                        for (const auto &e : errors)
                            std::fprintf(stderr, "meshwork-sim: %s: %s\n", node.name().c_str(),
                                         e.c_str());
                    }
                    using MainFn = int (*)();
                    auto app_main = reinterpret_cast<MainFn>(::dlsym(app.handle, "main"));
                    if (app_main == nullptr) {
                        std::fprintf(stderr, "meshwork-sim: %s: the module has no main()\n",
                                     node.name().c_str());
                        status = 1;
                        return;
                    }
                    app_main();
                },
                "main");
        }

        // Every node's lines, merged in the order they were written, printed as they come.
        std::vector<std::size_t> printed(simulation.node_count() + 1, 0);
        auto print_new = [&](bool flush) {
            struct Ref {
                std::uint64_t order;
                sim::NodeId node;
                const sim::NodeOutput::Line *line;
            };
            std::vector<Ref> lines;
            for (std::size_t id = 1; id <= simulation.node_count(); ++id) {
                sim::Node &node = *simulation.node(static_cast<sim::NodeId>(id));
                if (flush)
                    node.context().output().flush();
                const auto &out = node.output();
                for (std::size_t k = printed[id]; k < out.size(); ++k)
                    lines.push_back(Ref{out[k].order, node.id(), &out[k]});
                printed[id] = out.size();
            }
            std::sort(lines.begin(), lines.end(),
                      [](const Ref &a, const Ref &b) { return a.order < b.order; });
            for (const Ref &r : lines) {
                const long long us = r.line->at.time_since_epoch().count();
                std::printf("[node %u @ %lld.%06lld s] %s\n", static_cast<unsigned>(r.node),
                            us / 1000000, us % 1000000, r.line->text.c_str());
            }
            std::fflush(stdout);
        };
        const Instant start = simulation.now();
        sim::RunResult result;
        if (world) {
            // In slices of virtual time, so that output and progress appear as they happen.
            const Instant end = run_for ? start + *run_for : meshwork::kNever;
            Instant next_progress = start;
            bool formed = false;
            for (;;) {
                const Instant slice = std::min(end, simulation.now() + std::chrono::seconds(1));
                result = simulation.run_until(slice);
                print_new(false);
                const bool all = world->connected() == world->size();
                if ((!formed && simulation.now() >= next_progress) || (all && !formed)) {
                    std::printf("[progress] %s\n", world->progress(simulation.now()).c_str());
                    next_progress = simulation.now() + std::chrono::seconds(10);
                }
                formed = formed || all;
                if (simulation.now() >= end || result != sim::RunResult::kDeadline)
                    break;
            }
        } else {
            result = run_for ? simulation.run_for(*run_for) : simulation.run_until_idle();
        }
        print_new(true);
        if (world) {
            const double wall =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start)
                    .count();
            world->print_summary(stdout, start, wall);
        }
        if (load_failures > 3)
            std::fprintf(stderr, "meshwork-sim: %u nodes could not load the module\n",
                         load_failures);
        for (AppNode *app : apps) {
            for (const auto &f : app->executor().failures()) {
                std::fprintf(stderr, "meshwork-sim: %s/%s threw: %s\n", f.node.c_str(),
                             f.task.c_str(), f.what.c_str());
                status = 1;
            }
            if (auto report = app->executor().deadlock()) {
                std::fprintf(stderr, "%s", report->c_str());
                status = 1;
            }
        }
        std::fflush(stdout);
        if (stats) {
            const double wall =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start)
                    .count();
            const long rss = peak_rss_kib();
            std::fprintf(stderr,
                         "meshwork-sim: nodes=%u result=%s virtual_us=%lld wall_s=%.3f "
                         "peak_rss_kib=%ld start_rss_kib=%ld kib_per_node=%.1f\n",
                         nodes, sim::run_result_name(result),
                         static_cast<long long>(simulation.now().time_since_epoch().count()), wall,
                         rss, rss_start, static_cast<double>(rss - rss_start) / nodes);
        }
    }
    // The modules' static destructors would run after their nodes are gone; a device never runs
    // them either, so the process ends here.
    std::fflush(nullptr);
    std::_Exit(status);
}
