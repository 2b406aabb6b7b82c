// A Linux TAP device as a Link (core/Link.h): the optional host link of the user-space stack
// (ARCHITECTURE layout, "host"). A plain frame I/O object: it knows nothing of the stack that
// uses it (host never depends on stack). Frames are whole Ethernet II frames without FCS, as
// the device carries them with IFF_TAP | IFF_NO_PI (linux/Documentation/networking/tuntap.rst).
//
// The device can be created inside a network namespace (config.netns, a name under
// /var/run/netns as `ip netns add` makes it, or a path): the calling thread enters the
// namespace only while it opens the device, so the process stays where it was and the device,
// with everything the kernel sends on it, lives in the namespace. The device is not persistent:
// it disappears when the link is closed (or the process exits).
//
// No thread: receiving is poll(), which reads what the device holds now and delivers each frame
// to the receiver, from the caller's context (testbed::NodeTapLink calls it from a periodic
// event of the node's simulation). send() writes one frame; the device's queue being full is
// kNoSpace (the frame is lost, as on a busy wire). Needs CAP_NET_ADMIN and /dev/net/tun.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/Error.h"
#include "core/Link.h"

namespace meshwork::host {

struct TapLinkConfig {
    std::string name;         // the device's name (at most 15 characters); empty: the kernel's
    std::string netns;        // empty: the caller's namespace; a name: /var/run/netns/<name>
    EthernetAddress address;  // this end's address (the user-space node's MAC)
    std::size_t mtu = kEthernetDefaultMtu;
};

struct TapLinkStats {
    std::uint64_t received = 0;     // frames read and delivered
    std::uint64_t sent = 0;         // frames written
    std::uint64_t send_errors = 0;  // write() failed (queue full, device down)
    std::uint64_t oversize = 0;     // frames read that exceed the MTU (not delivered)
};

class TapLink final : public Link {
  public:
    /// Opens the device. kUnsupported when /dev/net/tun is missing or refuses (no
    /// CAP_NET_ADMIN) or the namespace cannot be entered (no CAP_SYS_ADMIN), kNotFound when the
    /// namespace does not exist, kBadState when the name is taken by a device in use or of
    /// another kind, kInvalidArgument for a name too long or an MTU of 0.
    static Result<std::unique_ptr<TapLink>> open(const TapLinkConfig &config);
    ~TapLink() override;

    Status send(ByteSpan frame) override;
    std::size_t mtu() const override { return mtu_; }
    EthernetAddress address() const override { return address_; }
    bool is_up() const override { return fd_ >= 0; }

    /// Reads and delivers up to `max_frames` frames waiting now; returns how many were read.
    std::size_t poll(std::size_t max_frames = 256);

    /// The device's name as the kernel gave it.
    const std::string &name() const { return name_; }
    int fd() const { return fd_; }
    const TapLinkStats &stats() const { return stats_; }
    /// Closes the device (it disappears); is_up() is then false and send() kBadState.
    void close();

  private:
    TapLink(int fd, std::string name, const TapLinkConfig &config);

    int fd_;
    std::string name_;
    EthernetAddress address_;
    std::size_t mtu_;
    std::vector<std::uint8_t> rx_;
    TapLinkStats stats_;
};

/// True if the process can create TAP devices (/dev/net/tun opens and TUNSETIFF works); when
/// not, `why` says what is missing.
bool tap_available(std::string *why = nullptr);

}  // namespace meshwork::host
