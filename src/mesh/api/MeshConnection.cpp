// MeshConnection: Nanostack's mesh connect / status semantics over a MeshBackend.
#include "MeshConnection.h"

#include <utility>

namespace meshwork::meshapi {

nsapi_error_t to_nsapi(mesh_error_t e) {
    switch (e) {
        case MESH_ERROR_NONE:
            return NSAPI_ERROR_OK;
        case MESH_ERROR_MEMORY:
            return NSAPI_ERROR_NO_MEMORY;
        case MESH_ERROR_PARAM:
            return NSAPI_ERROR_PARAMETER;
        case MESH_ERROR_STATE:
            return NSAPI_ERROR_IS_CONNECTED;
        default:
            return NSAPI_ERROR_DEVICE_ERROR;
    }
}

nsapi_connection_status_t to_nsapi_status(mesh_connection_status_t s, bool has_global) {
    switch (s) {
        case MESH_CONNECTED:
            return has_global ? NSAPI_STATUS_GLOBAL_UP : NSAPI_STATUS_LOCAL_UP;
        case MESH_CONNECTED_LOCAL:
            return NSAPI_STATUS_LOCAL_UP;
        case MESH_CONNECTED_GLOBAL:
            return NSAPI_STATUS_GLOBAL_UP;
        case MESH_BOOTSTRAP_STARTED:
        case MESH_BOOTSTRAP_FAILED:
            return NSAPI_STATUS_CONNECTING;
        default:  // MESH_DISCONNECTED, MESH_BOOTSTRAP_START_FAILED
            return NSAPI_STATUS_DISCONNECTED;
    }
}

MeshConnection::~MeshConnection() {
    bool running = false;
    {
        WaitGuard guard(lock_);
        running = running_;
        running_ = false;
        ++generation_;
    }
    if (running && backend_ != nullptr) {
        backend_->stop();
    }
}

bool MeshConnection::set_status_locked(nsapi_connection_status_t s) {
    const bool changed = s != status_;
    status_ = s;
    return changed;
}

void MeshConnection::emit(nsapi_connection_status_t s) {
    StatusCallback cb;
    {
        WaitGuard guard(lock_);
        cb = status_cb_;
    }
    if (cb) {
        cb(NSAPI_EVENT_CONNECTION_STATUS_CHANGE, s);
    }
}

nsapi_error_t MeshConnection::connect(const MeshStartRequest &request) {
    if (backend_ == nullptr) {
        return NSAPI_ERROR_UNSUPPORTED;
    }
    bool restart = false;
    bool blocking = true;
    bool report = false;
    std::uint64_t generation = 0;
    std::uint64_t session = 0;
    {
        WaitGuard guard(lock_);
        // Joining or joined: Nanostack's tasklet is attached (MESH_ERROR_STATE). After a failed
        // attempt the application may connect() again, which starts over.
        if (running_ && mesh_status_ != MESH_BOOTSTRAP_FAILED) {
            return NSAPI_ERROR_IS_CONNECTED;
        }
        restart = running_;
        running_ = true;
        initialized_ = true;
        joined_ = false;
        start_failed_ = false;
        generation = ++generation_;
        session = session_;
        mesh_status_ = MESH_BOOTSTRAP_STARTED;
        blocking = blocking_;
        report = set_status_locked(NSAPI_STATUS_CONNECTING);
    }
    if (restart) {
        backend_->stop();
    }
    if (report) {
        emit(NSAPI_STATUS_CONNECTING);  // before any report start() may make
    }
    const mesh_error_t e = backend_->start(
        request, [this, generation](mesh_connection_status_t s) { on_report(generation, s); });
    if (e != MESH_ERROR_NONE) {
        bool changed = false;
        {
            WaitGuard guard(lock_);
            if (generation_ == generation) {
                running_ = false;
                mesh_status_ = MESH_BOOTSTRAP_START_FAILED;
                changed = set_status_locked(NSAPI_STATUS_DISCONNECTED);
                waiters_.notify_all();
            }
        }
        if (changed) {
            emit(NSAPI_STATUS_DISCONNECTED);
        }
        return to_nsapi(e);
    }
    if (!blocking) {
        return NSAPI_ERROR_OK;
    }
    // Without a time limit, as Nanostack: a mesh may take any time to form.
    WaitGuard guard(lock_);
    waiters_.wait_until(guard, kNever, [&] {
        return session_ != session || joined_ || start_failed_ || !running_;
    });
    if (session_ == session && joined_) {
        return NSAPI_ERROR_OK;
    }
    if (session_ == session && start_failed_) {
        return NSAPI_ERROR_DEVICE_ERROR;
    }
    return NSAPI_ERROR_NO_CONNECTION;
}

void MeshConnection::on_report(std::uint64_t generation, mesh_connection_status_t s) {
    // MESH_CONNECTED means GLOBAL_UP only with a global address: ask before taking the lock
    // (the backend is never called with it held).
    bool has_global = false;
    if (s == MESH_CONNECTED && backend_ != nullptr) {
        SocketAddress a;
        has_global = backend_->global_address(&a);
    }
    const nsapi_connection_status_t next = to_nsapi_status(s, has_global);
    bool report = false;
    {
        WaitGuard guard(lock_);
        if (generation != generation_ || !running_) {
            return;  // a report of an earlier start, or after disconnect()
        }
        const nsapi_connection_status_t previous = status_;
        mesh_status_ = s;
        if (s == MESH_CONNECTED || s == MESH_CONNECTED_LOCAL || s == MESH_CONNECTED_GLOBAL) {
            joined_ = true;
        } else if (s == MESH_BOOTSTRAP_START_FAILED) {
            running_ = false;
            start_failed_ = true;
        } else if (s == MESH_DISCONNECTED) {
            running_ = false;
        }
        const bool changed = set_status_locked(next);
        const bool global_again =
            next == NSAPI_STATUS_GLOBAL_UP && (s == MESH_CONNECTED || s == MESH_CONNECTED_GLOBAL);
        const bool quiet =
            (previous == NSAPI_STATUS_GLOBAL_UP && s == MESH_BOOTSTRAP_STARTED) ||
            (previous == NSAPI_STATUS_CONNECTING && s == MESH_BOOTSTRAP_START_FAILED);
        report = !quiet && (changed || global_again);
        waiters_.notify_all();
    }
    if (report) {
        emit(next);
    }
}

nsapi_error_t MeshConnection::disconnect() {
    {
        WaitGuard guard(lock_);
        if (!running_) {
            return NSAPI_ERROR_NO_CONNECTION;
        }
        running_ = false;
        ++generation_;
        ++session_;
        mesh_status_ = MESH_DISCONNECTED;
    }
    backend_->stop();
    bool changed = false;
    {
        WaitGuard guard(lock_);
        changed = set_status_locked(NSAPI_STATUS_DISCONNECTED);
        waiters_.notify_all();
    }
    if (changed) {
        emit(NSAPI_STATUS_DISCONNECTED);
    }
    return NSAPI_ERROR_OK;
}

void MeshConnection::set_blocking(bool blocking) {
    WaitGuard guard(lock_);
    blocking_ = blocking;
}

void MeshConnection::attach(StatusCallback cb) {
    WaitGuard guard(lock_);
    status_cb_ = std::move(cb);
}

nsapi_connection_status_t MeshConnection::status() const {
    WaitGuard guard(lock_);
    return status_;
}

mesh_connection_status_t MeshConnection::mesh_status() const {
    WaitGuard guard(lock_);
    return mesh_status_;
}

bool MeshConnection::started() const {
    WaitGuard guard(lock_);
    return running_;
}

bool MeshConnection::initialized() const {
    WaitGuard guard(lock_);
    return initialized_;
}

}  // namespace meshwork::meshapi
