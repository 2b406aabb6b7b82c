// The bytes of a TCP session between two nodes, checked by an independent decoder: the frames go
// into a pcap file that Wireshark's tshark reads with checksum validation on. The session has a
// handshake with every option, data both ways, a lost segment (so SACK blocks and a
// retransmission appear) and an orderly close. Skipped where tshark is not installed.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "TcpPair.h"
#include "TempDir.h"
#include "wire/Pcap.h"

namespace meshwork::stack::test {
namespace {

using namespace std::chrono_literals;

std::string run(const std::string &cmd) {
    std::string out;
    FILE *p = ::popen(cmd.c_str(), "r");
    if (!p)
        return out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    ::pclose(p);
    return out;
}

std::size_t lines(const std::string &s) {
    std::size_t n = 0;
    for (char ch : s)
        n += ch == '\n';
    return n;
}

TEST(TcpTshark, SessionDecodesCleanly) {
    if (std::system("command -v tshark >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "tshark is not installed";
    meshwork::test::TempDir dir("meshwork-tcp-tshark");
    ASSERT_FALSE(dir.path().empty());
    TcpPair p;
    auto [c, s] = p.establish();
    int n = 0;
    p.drop = [&](int from, const Bytes &f) {
        Bytes pl;
        return from == 0 && tcp_of(f, &pl) && !pl.empty() && ++n == 3;
    };
    Bytes got = transfer(p, p.ta(), c, p.tb(), s, 30000, 10s);
    ASSERT_TRUE(pattern_ok(got, 30000));
    got = transfer(p, p.tb(), s, p.ta(), c, 5000, 10s);
    ASSERT_TRUE(pattern_ok(got, 5000));
    ASSERT_TRUE(p.ta().close(c).ok());
    p.run_for(1s);
    ASSERT_TRUE(p.tb().close(s).ok());
    p.run_for(1s);

    const std::string path = dir.file("tcp.pcap");
    std::ofstream out(path, std::ios::binary);
    wire::PcapFileHeader fh;
    fh.link_type = static_cast<std::uint32_t>(wire::PcapLinkType::kEthernet);
    std::uint8_t hdr[wire::PcapFileHeader::kSize];
    ASSERT_TRUE(fh.emit(MutableByteSpan(hdr, sizeof hdr)).ok());
    out.write(reinterpret_cast<const char *>(hdr), sizeof hdr);
    std::size_t tcp_frames = 0;
    for (const auto &[t, f] : p.log) {
        tcp_frames += tcp_of(f).has_value();
        Bytes rec(wire::pcap_record_size(wire::PcapLinkType::kEthernet, f.size(), nullptr));
        std::size_t written = 0;
        ASSERT_TRUE(
            wire::pcap_emit_record(wire::PcapLinkType::kEthernet,
                                   static_cast<std::uint64_t>(t.time_since_epoch().count()) * 1000,
                                   ByteSpan(f.data(), f.size()), nullptr,
                                   MutableByteSpan(rec.data(), rec.size()), &written)
                .ok());
        out.write(reinterpret_cast<const char *>(rec.data()), static_cast<long>(written));
    }
    out.close();
    const std::string tshark = "tshark -n -r '" + path + "' -o tcp.check_checksum:TRUE ";
    // Every TCP frame decodes as TCP; none is malformed or has a bad checksum.
    EXPECT_EQ(lines(run(tshark + "-Y tcp 2>/dev/null")), tcp_frames);
    EXPECT_EQ(run(tshark + "-Y '_ws.malformed || tcp.checksum.status == 0' 2>/dev/null"), "");
    // The options as Wireshark reads them.
    EXPECT_EQ(lines(run(tshark + "-Y 'tcp.flags.syn == 1 && tcp.options.mss_val == 1440 && "
                                 "tcp.options.wscale.shift == 1 && tcp.options.sack_perm && "
                                 "tcp.options.timestamp.tsval' 2>/dev/null")),
              2u);
    EXPECT_GE(lines(run(tshark + "-Y 'tcp.options.sack_le' 2>/dev/null")), 1u);
    EXPECT_GE(lines(run(tshark + "-Y 'tcp.analysis.retransmission || "
                                 "tcp.analysis.fast_retransmission' 2>/dev/null")),
              1u);
}

}  // namespace
}  // namespace meshwork::stack::test
