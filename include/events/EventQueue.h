// events::EventQueue: a queue of callbacks run by whichever thread dispatches it. call() runs a
// callback as soon as possible (FIFO among events due at the same time), call_in() after a
// delay (deadline order), call_every() periodically (first run after one period). Posting is
// safe from any thread and from Ticker/Timeout callbacks (the shim's interrupt context).
//
// The queue is bound to no executor: times are read from, and dispatchers block through, the
// executor of the calling task, so a queue used by a simulated node runs in virtual time (even
// a global one). Use one queue from tasks of one clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "meshwork/Executor.h"
#include "platform/Callback.h"
#include "platform/NonCopyable.h"
#include "platform/mbed_toolchain.h"

/// Bytes one event accounts for in a queue's size (the queue holds size / EVENTS_EVENT_SIZE
/// pending events, at least one).
#ifndef EVENTS_EVENT_SIZE
#define EVENTS_EVENT_SIZE 48
#endif

/// Default queue size: 32 events.
#ifndef EVENTS_QUEUE_SIZE
#define EVENTS_QUEUE_SIZE (32 * EVENTS_EVENT_SIZE)
#endif

namespace meshwork {
class TimerQueue;
}

namespace events {

template <typename F>
class Event;

namespace detail {

template <typename... Ts>
struct type_list {};

template <typename T>
struct identity {
    using type = T;
};

// Drops the first N types of a type_list.
template <std::size_t N, typename L>
struct drop_front {
    using type = L;
};
template <std::size_t N, typename T, typename... Ts>
struct drop_front<N, type_list<T, Ts...>>
    : std::conditional_t<N == 0, identity<type_list<T, Ts...>>,
                         drop_front<N - 1, type_list<Ts...>>> {};

template <typename L>
struct event_for;
template <typename... As>
struct event_for<type_list<As...>> {
    using type = Event<void(As...)>;
};

// Event<void(Rest...)> for a callable taking Params... with `Bound` leading arguments bound.
template <std::size_t Bound, typename... Params>
using event_t = typename event_for<typename drop_front<Bound, type_list<Params...>>::type>::type;

// Builds a std::function<void(Args...)> from a callable plus leading bound arguments, or from
// an object pointer plus member function plus leading bound arguments.
template <typename... Args>
struct Binder {
    template <typename F, typename... Bs>
    static std::function<void(Args...)> bind(F f, Bs... bs) {
        if constexpr (std::is_invocable_v<F &, Bs &..., Args...>) {
            return [f, bs...](Args... args) mutable {
                std::invoke(f, bs..., std::forward<Args>(args)...);
            };
        } else {
            return bind_method(f, bs...);
        }
    }

    template <typename O, typename M, typename... Bs>
    static std::function<void(Args...)> bind_method(O obj, M method, Bs... bs) {
        static_assert(std::is_invocable_v<M &, O &, Bs &..., Args...>,
                      "EventQueue: arguments do not match the callable");
        return [obj, method, bs...](Args... args) mutable {
            std::invoke(method, obj, bs..., std::forward<Args>(args)...);
        };
    }
};

}  // namespace detail

class EventQueue : private mbed::NonCopyable<EventQueue> {
  public:
    /// Delays and periods, in milliseconds, as Mbed's EventQueue::duration.
    using duration = std::chrono::duration<int, std::milli>;

    /// `size` bounds the number of pending events (size / EVENTS_EVENT_SIZE); `buffer` is
    /// accepted for compatibility and not used.
    explicit EventQueue(unsigned size = EVENTS_QUEUE_SIZE, unsigned char *buffer = nullptr);

    /// Wakes any dispatcher and waits for it to return; pending events are discarded.
    ~EventQueue();

    /// Dispatches for `ms` milliseconds (negative: forever, 0: only the events due now).
    MBED_DEPRECATED_SINCE("mbed-os-6.7.0", "Use dispatch_for() or dispatch_forever()")
    void dispatch(int ms);
    /// Dispatches forever (until break_dispatch()).
    void dispatch() { dispatch_forever(); }
    void dispatch_for(duration ms);
    void dispatch_forever();
    /// Runs the events that are due now, then returns.
    void dispatch_once();

    /// Makes the running dispatch return as soon as the current event finishes; if none is
    /// running, the next dispatch returns at once.
    void break_dispatch();

    /// The queue's millisecond tick (the calling task's executor clock).
    unsigned tick();

    /// Cancels a pending event. True if it was pending and will not run; false if the id is
    /// unknown, already dispatched or currently running (a running periodic event is still
    /// stopped from running again).
    bool cancel(int id);

    /// Milliseconds until the event runs, 0 if due or running, -1 if unknown.
    int time_left(int id);

    /// `update(ms)` is called whenever the time to the next event changes: ms >= 0, or -1
    /// when nothing is pending. Replacing it calls the old one with -1.
    void background(mbed::Callback<void(int)> update);

    /// Dispatches this queue's events from `target`'s dispatch; nullptr unchains.
    int chain(EventQueue *target);

    /// Posts f(args...) (or (obj->*method)(args...)) to run as soon as possible. Returns the
    /// event id, or 0 when the queue is full.
    template <typename F, typename... Ts>
    int call(F f, Ts... ts) {
        return post(Dur::zero(), Dur(-1), detail::Binder<>::bind(f, ts...));
    }

    template <typename F, typename... Ts>
    int call_in(duration ms, F f, Ts... ts) {
        return post(to_dur(ms), Dur(-1), detail::Binder<>::bind(f, ts...));
    }

    template <typename F, typename... Ts>
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a chrono duration, e.g. 100ms")
    int call_in(int ms, F f, Ts... ts) {
        return post(to_dur(duration(ms)), Dur(-1), detail::Binder<>::bind(f, ts...));
    }

    template <typename F, typename... Ts>
    int call_every(duration ms, F f, Ts... ts) {
        return post(to_dur(ms), to_dur(ms), detail::Binder<>::bind(f, ts...));
    }

    template <typename F, typename... Ts>
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a chrono duration, e.g. 100ms")
    int call_every(int ms, F f, Ts... ts) {
        return post(to_dur(duration(ms)), to_dur(duration(ms)), detail::Binder<>::bind(f, ts...));
    }

    // ---- event(): an Event bound to this queue, posted later with the remaining arguments.

    template <typename R, typename... Ps, typename... Bs>
    detail::event_t<sizeof...(Bs), Ps...> event(R (*func)(Ps...), Bs... bs) {
        return detail::event_t<sizeof...(Bs), Ps...>(this, func, bs...);
    }

#define MESHWORK_EVENTQUEUE_METHOD_EVENT(QUAL)                                                  \
    template <typename U, typename T, typename R, typename... Ps, typename... Bs>               \
    detail::event_t<sizeof...(Bs), Ps...> event(U *obj, R (T::*method)(Ps...) QUAL, Bs... bs) { \
        return detail::event_t<sizeof...(Bs), Ps...>(this, obj, method, bs...);                 \
    }
    MESHWORK_EVENTQUEUE_METHOD_EVENT()
    MESHWORK_EVENTQUEUE_METHOD_EVENT(const)
    MESHWORK_EVENTQUEUE_METHOD_EVENT(volatile)
    MESHWORK_EVENTQUEUE_METHOD_EVENT(const volatile)
#undef MESHWORK_EVENTQUEUE_METHOD_EVENT

    template <typename R, typename... Ps, typename... Bs>
    detail::event_t<sizeof...(Bs), Ps...> event(mbed::Callback<R(Ps...)> cb, Bs... bs) {
        return detail::event_t<sizeof...(Bs), Ps...>(this, cb, bs...);
    }

    /// Lambdas and functors with a single operator().
    template <typename F,
              std::enable_if_t<std::is_class_v<F> && !mbed::detail::is_callback<F>::value, int> = 0>
    auto event(F f) {
        return event(mbed::callback(f));
    }

  private:
    template <typename F>
    friend class Event;

    using Dur = meshwork::Duration;

    struct Entry {
        meshwork::Instant deadline;
        Dur period;          // negative: one-shot
        uint64_t timer = 0;  // its timer in timers_ while pending
        bool running = false;
        std::function<void()> fn;
    };

    static Dur to_dur(duration d) {
        return std::chrono::duration_cast<Dur>(d);
    }

    int post(Dur delay, Dur period, std::function<void()> fn);
    uint64_t schedule_locked(meshwork::Instant deadline, int id);
    void dispatch_until(meshwork::Instant deadline, bool once);
    void report_background();
    int next_id_locked();

    std::size_t capacity_;

    meshwork::WaitLock mutex_;
    meshwork::WaitQueue cv_;  // dispatchers waiting for work, destructor waiting for them
    // Pending events by deadline, then posting order: the core timer mechanism, whose callbacks
    // only name the due event (set due_id_); dispatch runs it outside the mutex.
    std::unique_ptr<meshwork::TimerQueue> timers_;
    int due_id_ = 0;
    std::unordered_map<int, Entry> entries_;
    int last_id_ = 0;
    bool break_requested_ = false;
    bool destroying_ = false;
    int dispatchers_ = 0;
    std::vector<meshwork::Task *> dispatching_;  // the tasks in dispatch*, innermost last

    // Background reporting, serialized by its own mutex (never held with mutex_ when calling).
    meshwork::WaitLock background_mutex_;
    mbed::Callback<void(int)> background_;
    meshwork::Instant reported_ = meshwork::kNever;
    EventQueue *chain_target_ = nullptr;
    int chain_event_ = 0;
};

/// An event bound to a queue and (partly) to its arguments: post(args...) queues it with the
/// configured delay and period. Copies share state (delay, period, last posted id).
template <typename... ArgTs>
class Event<void(ArgTs...)> {
  public:
    using duration = std::chrono::duration<int, std::milli>;

    /// f(bound..., args...), or (obj->*method)(bound..., args...) for Event(q, obj, method, ...).
    template <typename F, typename... Bs>
    Event(EventQueue *q, F f, Bs... bs)
        : state_(std::make_shared<State>(q, detail::Binder<ArgTs...>::bind(f, bs...))) {}

    void delay(duration d) { state_->delay = d; }
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a chrono duration")
    void delay(int ms) { state_->delay = duration(ms); }
    void period(duration p) { state_->period = p; }
    MBED_DEPRECATED_SINCE("mbed-os-6.0.0", "Pass a chrono duration")
    void period(int ms) { state_->period = duration(ms); }

    /// Queues the event; returns its id, 0 if the queue is full.
    int post(ArgTs... args) const {
        auto fn = state_->fn;
        const int id = state_->queue->post(
            std::chrono::duration_cast<meshwork::Duration>(state_->delay),
            state_->period.count() < 0
                ? meshwork::Duration(-1)
                : std::chrono::duration_cast<meshwork::Duration>(state_->period),
            [fn, args...]() mutable { fn(args...); });
        state_->id = id;
        return id;
    }

    void call(ArgTs... args) const { post(args...); }
    void operator()(ArgTs... args) const { post(args...); }

    static void thunk(void *func, ArgTs... args) { static_cast<Event *>(func)->call(args...); }

    /// Cancels the most recently posted instance.
    bool cancel() const { return state_->queue->cancel(state_->id); }

  private:
    struct State {
        State(EventQueue *q, std::function<void(ArgTs...)> f) : queue(q), fn(std::move(f)) {}
        EventQueue *queue;
        std::function<void(ArgTs...)> fn;
        duration delay{0};
        duration period{-1};
        std::atomic<int> id{0};
    };
    std::shared_ptr<State> state_;
};

}  // namespace events
