// A captured run of the simulated medium, decoded by tshark: nodes' MACs send acknowledged
// unicast and broadcast 802.15.4 data frames (built with wire's codec, real FCS) on two channels
// and answer with imm-acks; every frame on the air must decode with a correct FCS and no malformed
// packet, and the TAP channel, RSS and LQI fields must be ours.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <unistd.h>

#include "TsharkRun.h"
#include "core/Random.h"
#include "sim/RadioMedium.h"
#include "sim/SimRadio.h"
#include "mesh/mac/Mac.h"
#include "testbed/Capture802154.h"
#include "testbed/RadioMacTimer.h"
#include "wire/Ieee802154.h"

namespace meshwork {
namespace {

using sim::RadioNodeId;
using testbed::Capture802154;
using wire::MacAddress;
using wire::MacFrame;

constexpr std::uint16_t kPan = 0xface;

// A node: SimRadio + the MAC (which emits the frames with wire's codec and answers with acks).
class Endpoint : public mac::MacListener {
  public:
    Endpoint(sim::Scheduler &s, sim::RadioMedium &m, RadioNodeId id)
        : radio_(m, id), rng_(3, id), timer_(s), mac_(radio_, s.clock(), rng_, timer_), id_(id) {
        timer_.bind(&mac_);
        mac_.set_listener(this);
        mac_.set_pan_id(kPan);
        mac_.set_short_address(static_cast<std::uint16_t>(0x100 + id));
        mac_.set_extended_address(0x0011223344556600ull + id);
    }
    sim::SimRadio &radio() { return radio_; }
    const mac::Mac &mac() const { return mac_; }

    void send(std::uint16_t dst, std::size_t payload_len) {
        MacFrame f;
        f.type = wire::MacFrameType::kData;
        f.ack_request = dst != MacAddress::kBroadcastShort;
        f.has_dst_pan = true;
        f.dst_pan = kPan;
        f.dst = MacAddress::from_short(dst);
        f.src = (++sent_ & 1) ? MacAddress::from_short(static_cast<std::uint16_t>(0x100 + id_))
                              : MacAddress::from_extended(0x0011223344556600ull + id_);
        payload_.assign(payload_len, 0);
        payload_[0] = 0x01;  // 6LoWPAN NALP dispatch: "not a LoWPAN frame", shown as data
        for (std::size_t i = 1; i < payload_len; ++i)
            payload_[i] = static_cast<std::uint8_t>(i * 7 + id_);
        f.payload = ByteSpan(payload_.data(), payload_.size());
        (void)mac_.data_request(f, 0);  // still busy with the previous one: this demo skips it
    }

    void mcps_data_confirm(const mac::MacTxConfirm &c) override {
        confirmed += c.status == mac::MacTxStatus::kSuccess;
    }
    void mcps_data_indication(const MacFrame &, const RadioRxFrame &) override {}
    int confirmed = 0;

  private:
    sim::SimRadio radio_;
    SeededRandom rng_;
    testbed::RadioMacTimer timer_;
    mac::Mac mac_;
    RadioNodeId id_;
    unsigned sent_ = 0;
    std::vector<std::uint8_t> payload_;
};

std::string temp_path(const std::string &name) {
    return testing::TempDir() + "/" + std::to_string(getpid()) + "-" + name;
}

TEST(RadioCaptureTshark, CapturedRunDecodesWithoutMalformedFrames) {
    if (!interop::have_tshark())
        GTEST_SKIP() << "tshark not installed: oracle test skipped";
    sim::Scheduler sched;
    sim::LogDistancePropagation::Params p;
    p.seed = 3;
    sim::RadioMedium medium(sched, std::make_unique<sim::LogDistancePropagation>(p));
    Capture802154 tap_cap(medium);
    Capture802154 fcs_cap(medium, wire::PcapLinkType::kIeee802154WithFcs);
    const std::string tap_path = temp_path("radio-tap.pcap"),
                      fcs_path = temp_path("radio-195.pcap");
    struct Remove {
        std::vector<std::string> paths;
        ~Remove() {
            for (const auto &p : paths)
                std::remove(p.c_str());
        }
    } remove_files{{tap_path, fcs_path}};
    ASSERT_TRUE(tap_cap.open(tap_path));
    ASSERT_TRUE(fcs_cap.open(fcs_path));
    std::vector<std::unique_ptr<Endpoint>> nodes;
    SeededRandom rng(3);
    for (RadioNodeId i = 0; i < 8; ++i) {
        medium.add_node({double(rng.uniform(40)), double(rng.uniform(40)), 0});
        nodes.push_back(std::make_unique<Endpoint>(sched, medium, i));
        ASSERT_TRUE(nodes.back()->radio().set_channel({0, std::uint8_t(i < 4 ? 15 : 20)}));
    }
    for (int k = 0; k < 120; ++k) {
        const auto from = rng.uniform(8);
        const auto group = from < 4 ? 0u : 4u;
        const std::uint16_t dst =
            k % 5 == 0 ? MacAddress::kBroadcastShort
                       : static_cast<std::uint16_t>(0x100 + group + (from - group + 1) % 4);
        const std::size_t len = 1 + rng.uniform(100);
        sched.at(Instant(Duration(10000 * k + rng.uniform(5000))),
                 [&nodes, from, dst, len] { nodes[from]->send(dst, len); });
    }
    sched.run_until_idle();
    tap_cap.close();
    fcs_cap.close();
    std::uint64_t acks = 0;
    int confirmed = 0;
    for (auto &n : nodes) {
        acks += n->mac().counters().acks_sent;
        confirmed += n->confirmed;
    }
    EXPECT_GT(acks, 50u);
    EXPECT_GT(confirmed, 80);
    const std::uint64_t frames = medium.stats().frames;
    ASSERT_EQ(tap_cap.records(), frames);
    ASSERT_EQ(fcs_cap.records(), frames);

    for (const std::string &path : {tap_path, fcs_path}) {
        const bool tap = path == tap_path;
        std::string cmd = "tshark -n -r '" + path +
                          "' -o wpan.802154_fcs_ok:TRUE -T fields -E separator=/t "
                          "-E occurrence=f -e frame.number -e _ws.malformed -e wpan.fcs_ok "
                          "-e wpan.frame_type -e wpan.seq_no -e frame.protocols";
        if (tap)
            cmd += " -e wpan-tap.ch_num -e wpan-tap.rss -e wpan-tap.lqi";
        cmd += " 2>/dev/null";
        const auto lines = interop::split(interop::run(cmd), '\n');
        std::map<std::string, int> types, channels;
        std::uint64_t rows = 0;
        for (const auto &line : lines) {
            if (line.empty())
                continue;
            ++rows;
            const auto f = interop::split(line, '\t');
            ASSERT_EQ(f.size(), tap ? 9u : 6u) << line;
            EXPECT_EQ(f[1], "") << "malformed: " << line;
            EXPECT_EQ(f[2], "1") << "FCS: " << line;
            EXPECT_EQ(f[5].find("_ws"), std::string::npos) << line;
            ++types[f[3]];
            if (tap) {
                ++channels[f[6]];
                EXPECT_EQ(std::atof(f[7].c_str()), 0.0) << line;  // tx power: the sender's view
                EXPECT_EQ(f[8], "255") << line;
            }
        }
        EXPECT_EQ(rows, frames) << path;
        EXPECT_GT(types["0x0001"], 0) << path;  // data
        EXPECT_GT(types["0x0002"], 0) << path;  // ack
        EXPECT_EQ(types["0x0001"] + types["0x0002"], int(frames)) << path;
        if (tap) {
            EXPECT_GT(channels["15"], 0);
            EXPECT_GT(channels["20"], 0);
        }
    }
}

}  // namespace
}  // namespace meshwork
