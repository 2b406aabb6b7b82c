// Internal error vocabulary (ARCHITECTURE rule 6): an enum class and Result<T>. nsapi_error_t
// appears only at the netsocket boundary. No exceptions in core, wire, stack or mesh.
#pragma once

#include <cassert>
#include <cstdint>
#include <utility>

namespace meshwork {

enum class Error : std::uint8_t {
    kOk = 0,
    kTruncated,      // input shorter than the format requires
    kMalformed,      // a field holds a value the format forbids
    kUnsupported,    // valid, but a feature this implementation does not handle
    kNoSpace,        // output buffer or pool too small
    kNoMemory,       // allocation (pool) exhausted
    kInvalidArgument,
    kNotFound,
    kWouldBlock,
    kTimeout,
    kBadState,
    kChecksum,       // checksum, FCS or MIC mismatch
};

/// Stable lower-case name of an error, for logs and decoder output.
const char *error_name(Error e);

/// A value or an Error. Cheap, no exceptions, no allocation.
template <typename T>
class Result {
public:
    Result(T value) : value_(std::move(value)), error_(Error::kOk) {}  // NOLINT: implicit by design
    Result(Error error) : value_(), error_(error) { assert(error != Error::kOk); }  // NOLINT

    bool ok() const { return error_ == Error::kOk; }
    explicit operator bool() const { return ok(); }
    Error error() const { return error_; }

    T &value() { assert(ok()); return value_; }
    const T &value() const { assert(ok()); return value_; }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T value_or(T fallback) const { return ok() ? value_ : fallback; }

private:
    T value_;
    Error error_;
};

/// Result of an operation with no value.
class Status {
public:
    Status() : error_(Error::kOk) {}
    Status(Error error) : error_(error) {}  // NOLINT: implicit by design
    bool ok() const { return error_ == Error::kOk; }
    explicit operator bool() const { return ok(); }
    Error error() const { return error_; }

private:
    Error error_;
};

}  // namespace meshwork
