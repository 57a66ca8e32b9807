// RandomGenerator: a small, fully specified pseudo-random generator for the simulator
// (xoshiro256** seeded through splitmix64) and the variates it needs, derived by fixed
// formulas written here.
// Why not <random>: the standard pins the bit streams of its engines but not the algorithms of
// std::normal_distribution or std::uniform_real_distribution, so "same seed, same bytes"
// would break between standard libraries. Everything below is integer arithmetic plus
// IEEE-754 basic operations, sqrt (correctly rounded) and log. log comes from libm: glibc
// picks an FMA or a plain variant by CPU, which may differ in the last bit in rare cases, so
// bit-identical output is promised for the same library on the same kind of machine.
// Thread-safety: a value type; one instance must not be shared between threads unguarded.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace cryptomood {

// splitmix64 (Steele, Lea, Flood 2014): used only to spread a seed into generator state,
// because xoshiro must not start from a state with few bits set.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t state) : state_(state) {}
  std::uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    std::uint64_t mixed = state_;
    mixed = (mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9ULL;
    mixed = (mixed ^ (mixed >> 27)) * 0x94D049BB133111EBULL;
    return mixed ^ (mixed >> 31);
  }

 private:
  std::uint64_t state_;
};

// xoshiro256** (Blackman, Vigna 2018): fast, 256 bits of state, passes BigCrush.
class RandomGenerator {
 public:
  explicit RandomGenerator(std::uint64_t seed) {
    SplitMix64 spreader(seed);
    for (std::uint64_t& word : state_) word = spreader.Next();
  }

  // A generator in an exact state, e.g. to compare with the reference implementation.
  static RandomGenerator FromState(const std::array<std::uint64_t, 4>& state) {
    RandomGenerator generator(0);
    generator.state_ = state;
    return generator;
  }

  // An independent-looking generator for one part of a model (one coin, one arrival
  // stream), so that changing one part's parameters does not shift another part's numbers.
  static RandomGenerator ForStream(std::uint64_t seed, std::uint64_t stream) {
    SplitMix64 seed_mixer(seed);
    SplitMix64 stream_mixer(stream ^ 0x6A09E667F3BCC909ULL);
    return RandomGenerator(seed_mixer.Next() ^ (stream_mixer.Next() * 0xD1B54A32D192ED03ULL));
  }

  std::uint64_t NextBits() {
    const std::uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
    const std::uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = RotateLeft(state_[3], 45);
    return result;
  }

  // Uniform on [0, 1) with 53 random bits (every multiple of 2^-53 equally likely).
  double Uniform() { return static_cast<double>(NextBits() >> 11) * kTwoToMinus53; }

  // Uniform on (0, 1]: safe to take the logarithm of.
  double UniformPositive() { return static_cast<double>((NextBits() >> 11) + 1) * kTwoToMinus53; }

  // Uniform integer in [0, bound), bound > 0, without modulo bias: draws that fall in the
  // incomplete last block of 2^64 mod bound values are redrawn.
  std::uint64_t UniformBelow(std::uint64_t bound) {
    const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
    for (;;) {
      const std::uint64_t bits = NextBits();
      if (bits >= threshold) return bits % bound;
    }
  }

  // Standard normal by Marsaglia's polar method: it needs only log and sqrt (no sin/cos,
  // whose last-bit results vary more between libm versions) and yields two variates per
  // accepted pair; the second is kept for the next call.
  double Normal() {
    if (has_spare_normal_) {
      has_spare_normal_ = false;
      return spare_normal_;
    }
    double first = 0;
    double second = 0;
    double radius_squared = 0;
    do {
      first = 2 * Uniform() - 1;
      second = 2 * Uniform() - 1;
      radius_squared = first * first + second * second;
    } while (radius_squared >= 1 || radius_squared == 0);
    const double factor = std::sqrt(-2 * std::log(radius_squared) / radius_squared);
    spare_normal_ = second * factor;
    has_spare_normal_ = true;
    return first * factor;
  }

 private:
  static constexpr double kTwoToMinus53 = 1.0 / 9007199254740992.0;
  static std::uint64_t RotateLeft(std::uint64_t value, int bits) {
    return (value << bits) | (value >> (64 - bits));
  }

  std::array<std::uint64_t, 4> state_{};
  double spare_normal_ = 0;
  bool has_spare_normal_ = false;
};

}  // namespace cryptomood
