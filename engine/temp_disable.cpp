#include "engine/temp_disable.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <charconv>

namespace vectimus::engine {
namespace {

constexpr std::size_t kMaxStateBytes = 64 * 1024;

// FNV-1a: a stable file name per project root; not a security boundary (the file is the user's).
std::string project_key(std::string_view project) {
  uint64_t h = 1469598103934665603ull;
  for (const char c : project) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 15];
  return out;
}

std::optional<std::string> state_dir(const Host& host) {
  if (auto run = host.env->get("XDG_RUNTIME_DIR"); run && !run->empty() && run->front() == '/') {
    return join_path(*run, "vectimus");
  }
  if (auto home = host.env->get("HOME"); home && !home->empty()) {
    return join_path(join_path(*home, ".vectimus"), "run");
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> temp_disable_file(const Host& host, std::string_view project) {
  auto dir = state_dir(host);
  if (!dir) return std::nullopt;
  return join_path(*dir, "temp-disables-" + project_key(project));
}

TempDisables read_temp_disables(const Host& host, std::string_view project, int64_t now_s) {
  const auto path = temp_disable_file(host, project);
  if (!path) return {};
  const FileRead read = host.fs->read(*path, kMaxStateBytes);
  if (read.status != FileRead::Status::ok) return {};
  TempDisables out;
  std::string_view text = read.text;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return {};  // every line ends: a cut-off write is garbled
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t space = line.find(' ');
    if (space == 0 || space == std::string_view::npos) return {};
    const std::string_view id = line.substr(0, space);
    const std::string_view number = line.substr(space + 1);
    int64_t expiry = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), expiry);
    if (ec != std::errc() || end != number.data() + number.size() || expiry <= 0) return {};
    if (id.find_first_of(" \t\r") != std::string_view::npos) return {};
    if (expiry > now_s) out[std::string(id)] = expiry;
  }
  return out;
}

Result<bool> write_temp_disables(const Host& host, std::string_view project,
                                 const TempDisables& disables, int64_t now_s) {
  const auto path = temp_disable_file(host, project);
  if (!path) {
    return make_error("io",
                      "no folder for temporary disables: neither XDG_RUNTIME_DIR nor HOME "
                      "is set");
  }
  std::string text = "# vectimus: temporary rule disables for " + std::string(project) +
                     "\n# <rule id> <expiry, Unix seconds>\n";
  bool any = false;
  for (const auto& [id, expiry] : disables) {
    if (expiry <= now_s) continue;
    text += id + " " + std::to_string(expiry) + "\n";
    any = true;
  }
  if (!any) {
    if (!host.fs->exists(*path)) return false;
    if (IoStatus removed = host.fs->remove(*path); !removed.ok()) {
      return make_error("io", removed.error);
    }
    return true;
  }
  const std::string dir = path->substr(0, path->rfind('/'));
  if (IoStatus made = host.fs->make_directories(dir, 0700); !made.ok()) {
    return make_error("io", made.error);
  }
  if (IoStatus written = host.fs->replace(*path, text, 0600); !written.ok()) {
    return make_error("io", written.error);
  }
  return true;
}

Result<int64_t> parse_duration(std::string_view text) {
  const auto bad = [&] {
    return make_error("usage", "`" + std::string(text) + "` is not a duration", std::nullopt,
                      "write it as 90s, 30m, 2h or 1h30m");
  };
  if (text.empty()) return bad();
  int64_t total = 0;
  std::string_view units = "hms";
  while (!text.empty()) {
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end == text.data() || end == text.data() + text.size()) return bad();
    const std::size_t unit = units.find(*end);
    if (unit == std::string_view::npos) return bad();
    units.remove_prefix(unit + 1);
    constexpr int64_t kScale[] = {3600, 60, 1};
    const int64_t scale = kScale[3 - units.size() - 1];
    if (n > 366 * 24 * 3600 / scale) return bad();
    total += n * scale;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()) + 1);
  }
  if (total <= 0) return bad();
  return total;
}

std::string format_remaining(int64_t seconds) {
  if (seconds < 60) return std::to_string(std::max<int64_t>(seconds, 0)) + "s";
  const int64_t minutes = (seconds + 59) / 60;
  if (minutes < 60) return std::to_string(minutes) + "m";
  const int64_t rest = minutes % 60;
  return std::to_string(minutes / 60) + "h" + (rest ? std::to_string(rest) + "m" : "");
}

std::vector<std::string> nearest_ids(std::string_view unknown,
                                     const std::vector<std::string_view>& known,
                                     std::size_t limit) {
  std::vector<std::pair<std::size_t, std::string_view>> scored;
  // A quarter of the id (at least 2) wrong is still a typo; more is another id.
  const std::size_t bound = std::max<std::size_t>(2, unknown.size() / 4);
  for (const std::string_view id : known) {
    const std::size_t d = edit_distance(unknown, id);
    if (d <= bound) scored.emplace_back(d, id);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < limit; ++i) out.emplace_back(scored[i].second);
  return out;
}

}  // namespace vectimus::engine
