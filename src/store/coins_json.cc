#include "store/coins_json.h"

#include <cstdint>

#include "core/status_macros.h"

namespace cryptomood {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

void AppendEscaped(std::string_view text, std::string& out) {
  out += '"';
  for (char character : text) {
    const auto byte = static_cast<unsigned char>(character);
    if (character == '"' || character == '\\') {
      out += '\\';
      out += character;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHexDigits[byte >> 4];
      out += kHexDigits[byte & 0x0f];
    } else {
      out += character;
    }
  }
  out += '"';
}

void AppendUtf8(std::uint32_t code_point, std::string& out) {
  const auto put = [&out](std::uint32_t byte) { out += static_cast<char>(byte); };
  if (code_point < 0x80) {
    put(code_point);
  } else if (code_point < 0x800) {
    put(0xC0 | (code_point >> 6));
    put(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    put(0xE0 | (code_point >> 12));
    put(0x80 | ((code_point >> 6) & 0x3F));
    put(0x80 | (code_point & 0x3F));
  } else {
    put(0xF0 | (code_point >> 18));
    put(0x80 | ((code_point >> 12) & 0x3F));
    put(0x80 | ((code_point >> 6) & 0x3F));
    put(0x80 | (code_point & 0x3F));
  }
}

// Reads JSON text position by position; every Read* leaves `position_` after what it read.
class CoinsReader {
 public:
  explicit CoinsReader(std::string_view json) : json_(json) {}

  Status ReadArray(std::vector<std::string>& coins) {
    coins.clear();
    SkipSpace();
    if (!Consume('[')) return Fail("expected '['");
    SkipSpace();
    if (Consume(']')) return AtEnd();
    while (true) {
      std::string coin;
      CRYPTOMOOD_RETURN_IF_ERROR(ReadString(coin));
      coins.push_back(std::move(coin));
      SkipSpace();
      if (Consume(']')) return AtEnd();
      if (!Consume(',')) return Fail("expected ',' or ']'");
      SkipSpace();
    }
  }

 private:
  Status ReadString(std::string& out) {
    if (!Consume('"')) return Fail("expected a string");
    while (position_ < json_.size()) {
      const char character = json_[position_++];
      if (character == '"') return {};
      if (character != '\\') {
        out += character;
        continue;
      }
      if (position_ >= json_.size()) break;
      const char escape = json_[position_++];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out += escape;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          CRYPTOMOOD_ASSIGN_OR_RETURN(auto code_point, ReadCodePoint());
          AppendUtf8(code_point, out);
          break;
        }
        default:
          return Fail("bad escape");
      }
    }
    return Fail("unterminated string");
  }

  // After "\u": four hex digits, and a low surrogate's "\uXXXX" after a high one.
  Result<std::uint32_t> ReadCodePoint() {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto high, ReadHex4());
    if (high < 0xD800 || high > 0xDBFF) return high;
    if (!Consume('\\') || !Consume('u')) return Error{"coins JSON: lone surrogate"};
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto low, ReadHex4());
    if (low < 0xDC00 || low > 0xDFFF) return Error{"coins JSON: bad surrogate pair"};
    return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
  }

  Result<std::uint32_t> ReadHex4() {
    if (json_.size() - position_ < 4) return Error{"coins JSON: short \\u escape"};
    std::uint32_t value = 0;
    for (int digit = 0; digit < 4; ++digit) {
      const char character = json_[position_++];
      value <<= 4;
      if (character >= '0' && character <= '9') {
        value |= static_cast<std::uint32_t>(character - '0');
      } else if (character >= 'a' && character <= 'f') {
        value |= static_cast<std::uint32_t>(character - 'a' + 10);
      } else if (character >= 'A' && character <= 'F') {
        value |= static_cast<std::uint32_t>(character - 'A' + 10);
      } else {
        return Error{"coins JSON: bad \\u escape"};
      }
    }
    return value;
  }

  void SkipSpace() {
    while (position_ < json_.size() && (json_[position_] == ' ' || json_[position_] == '\n' ||
                                        json_[position_] == '\t' || json_[position_] == '\r')) {
      ++position_;
    }
  }
  bool Consume(char expected) {
    if (position_ >= json_.size() || json_[position_] != expected) return false;
    ++position_;
    return true;
  }
  Status AtEnd() {
    SkipSpace();
    return position_ == json_.size() ? Status() : Fail("text after the array");
  }
  Status Fail(std::string_view what) const {
    return Error{"coins JSON: " + std::string(what) + " at byte " + std::to_string(position_)};
  }

  std::string_view json_;
  std::size_t position_ = 0;
};

}  // namespace

void AppendCoinsJson(std::span<const std::string_view> coins, std::string& out) {
  out += '[';
  for (std::size_t i = 0; i < coins.size(); ++i) {
    if (i > 0) out += ", ";
    AppendEscaped(coins[i], out);
  }
  out += ']';
}

Status DecodeCoinsJson(std::string_view json, std::vector<std::string>& coins) {
  return CoinsReader(json).ReadArray(coins);
}

}  // namespace cryptomood
