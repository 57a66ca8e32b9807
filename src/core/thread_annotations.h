// Thread-safety annotations: Clang's capability attributes behind short macros, so that a
// class states which mutex guards which member and which functions need it held, and
// `clang++ -Wthread-safety` checks every access at compile time. Under other compilers
// (gcc) the macros expand to nothing. Usage: core/mutex.h; the attributes are described at
// https://clang.llvm.org/docs/ThreadSafetyAnalysis.html.
#pragma once

// NOLINTBEGIN(cppcoreguidelines-macro-usage): attributes can only be spelled by macros.
#if defined(__clang__)
#define CRYPTOMOOD_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define CRYPTOMOOD_THREAD_ANNOTATION(x)
#endif

// A type that is a lockable capability (a mutex); `name` appears in diagnostics.
#define CAPABILITY(name) CRYPTOMOOD_THREAD_ANNOTATION(capability(name))
// An RAII type that holds a capability from its construction to its destruction.
#define SCOPED_CAPABILITY CRYPTOMOOD_THREAD_ANNOTATION(scoped_lockable)
// A member read or written only with the given capability held.
#define GUARDED_BY(x) CRYPTOMOOD_THREAD_ANNOTATION(guarded_by(x))
// A pointer member whose pointee is read or written only with the given capability held.
#define PT_GUARDED_BY(x) CRYPTOMOOD_THREAD_ANNOTATION(pt_guarded_by(x))
// A function the caller must call with the capabilities held (exclusively / shared).
#define REQUIRES(...) CRYPTOMOOD_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) CRYPTOMOOD_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
// A function the caller must call without the capabilities held (it takes them itself).
#define EXCLUDES(...) CRYPTOMOOD_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// A function that acquires / releases the capabilities (without arguments: `this`).
#define ACQUIRE(...) CRYPTOMOOD_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) CRYPTOMOOD_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) CRYPTOMOOD_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) CRYPTOMOOD_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
// A function that returns normally only if the capability is held.
#define ASSERT_CAPABILITY(x) CRYPTOMOOD_THREAD_ANNOTATION(assert_capability(x))
// A function that returns a reference to the given capability (an accessor of a mutex).
#define RETURN_CAPABILITY(x) CRYPTOMOOD_THREAD_ANNOTATION(lock_returned(x))
// Turns the analysis off for one function: only for code it cannot follow, with a comment why.
#define NO_THREAD_SAFETY_ANALYSIS CRYPTOMOOD_THREAD_ANNOTATION(no_thread_safety_analysis)
// NOLINTEND(cppcoreguidelines-macro-usage)
