// A capture of a small lossy scenario, written as a file, read back by tshark: one line per
// frame, each at the length we recorded, as Ethernet frames from the simulated addresses.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <unistd.h>

#include "LossyScenario.h"
#include "TsharkRun.h"
#include "testbed/PcapWriter.h"
#include "wire/Pcap.h"

namespace meshwork::sim {
namespace {

using namespace testkit;

class TempDir {
  public:
    TempDir() {
        const char *base = std::getenv("TMPDIR");
        std::string tmpl =
            std::string(base != nullptr && *base != 0 ? base : "/tmp") + "/meshwork-links-XXXXXX";
        if (mkdtemp(tmpl.data()) != nullptr)
            path_ = tmpl;
    }
    ~TempDir() {
        if (!path_.empty())
            (void)std::system(("rm -rf '" + path_ + "'").c_str());
    }
    const std::string &path() const { return path_; }

  private:
    std::string path_;
};

std::vector<std::string> lines(const std::string &out) {
    std::vector<std::string> v = interop::split(out, '\n');
    while (!v.empty() && v.back().empty())
        v.pop_back();
    return v;
}

void check_capture(bool nanosecond) {
    if (!interop::have_tshark())
        GTEST_SKIP() << "tshark not installed";
    TempDir dir;
    ASSERT_FALSE(dir.path().empty());
    testbed::PcapWriter pcap(wire::PcapLinkType::kEthernet, nanosecond);
    const LossyScenarioResult r = run_lossy_scenario(11, pcap, 50);
    ASSERT_GT(r.dropped + r.duplicated, 0u);
    const std::string file = dir.path() + "/links.pcap";
    ASSERT_TRUE(pcap.save(file).ok());

    // What we wrote, record by record: length, source address, instant.
    struct Written {
        std::string length, source;
        double seconds;
    };
    std::vector<Written> written;
    auto reader = wire::PcapReader::parse(ByteSpan(pcap.bytes().data(), pcap.bytes().size()));
    ASSERT_TRUE(reader.ok());
    wire::PcapRecord rec;
    while (*reader->next(&rec)) {
        char src[18];
        std::snprintf(src, sizeof src, "%02x:%02x:%02x:%02x:%02x:%02x", rec.data[6], rec.data[7],
                      rec.data[8], rec.data[9], rec.data[10], rec.data[11]);
        written.push_back({std::to_string(rec.data.size), src, rec.timestamp_ns / 1e9});
    }
    ASSERT_EQ(written.size(), pcap.frames());
    ASSERT_GT(written.size(), 100u);

    // One line per frame: every frame read, as Ethernet, at its length and instant (virtual
    // time from 1970-01-01).
    const std::vector<std::string> got = lines(interop::run(
        "tshark -r '" + file +
        "' -T fields -e frame.len -e eth.src -e eth.type -e frame.time_epoch 2>/dev/null"));
    ASSERT_EQ(got.size(), written.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        const std::vector<std::string> f = interop::split(got[i], '\t');
        ASSERT_EQ(f.size(), 4u) << got[i];
        EXPECT_EQ(f[0], written[i].length) << "frame " << i + 1;
        EXPECT_EQ(f[1], written[i].source) << "frame " << i + 1;
        EXPECT_EQ(f[2], "0x88b5") << "frame " << i + 1;
        EXPECT_NEAR(std::atof(f[3].c_str()), written[i].seconds, 1e-7) << "frame " << i + 1;
    }
    EXPECT_GT(written.back().seconds, 0.04);  // 50 rounds of 1 ms
}

TEST(LinksTshark, ReadsEveryFrameOfAMicrosecondCapture) {
    check_capture(false);
}

TEST(LinksTshark, ReadsEveryFrameOfANanosecondCapture) {
    check_capture(true);
}

}  // namespace
}  // namespace meshwork::sim
