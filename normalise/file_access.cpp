#include "normalise/file_access.hpp"

#include <algorithm>
#include <array>

#include "normalise/path.hpp"

namespace vectimus::normalise {
namespace {

// How a program's operands map to reads and writes.
enum class Shape : uint8_t {
  read_all,          // cat FILE...
  write_all,         // tee FILE..., touch FILE..., rm FILE...
  read_after_first,  // grep PATTERN FILE... (the first operand is not a file)
  copy,              // cp SRC... DST: sources read, the last operand written
  move,              // mv SRC... DST: every operand written (sources disappear)
  sed,               // sed SCRIPT FILE... (awk, perl, ruby): written with -i, else read
  dd,                // dd if=SRC of=DST
  tar,               // tar -c FILE... reads them; the archive named by -f is the other side
  upload,            // curl -d @FILE, -F k=@FILE, -T FILE; wget --post-file=FILE: reads
};

struct Row {
  std::string_view program;
  Shape shape;
  std::string_view value_options;  // short options that consume the next word, e.g. `head -n 5`
};

// One row per program. `value_options` keeps option values (`-n 5`) out of the operands.
constexpr std::array kPrograms{
    Row{"cat", Shape::read_all, ""},
    Row{"less", Shape::read_all, "bhjkoptxyz"},
    Row{"more", Shape::read_all, "n"},
    Row{"head", Shape::read_all, "cn"},
    Row{"tail", Shape::read_all, "cnsF"},
    Row{"base64", Shape::read_all, "w"},
    Row{"base32", Shape::read_all, "w"},
    Row{"xxd", Shape::read_all, "cglos"},
    Row{"od", Shape::read_all, "AjNtw"},
    Row{"hexdump", Shape::read_all, "enos"},
    Row{"strings", Shape::read_all, "ent"},
    Row{"nl", Shape::read_all, "bdfhilnsvw"},
    Row{"bat", Shape::read_all, "lmr"},
    Row{"source", Shape::read_all, ""},
    Row{".", Shape::read_all, ""},
    Row{"zcat", Shape::read_all, ""},
    Row{"bzcat", Shape::read_all, ""},
    Row{"xzcat", Shape::read_all, ""},
    Row{"sort", Shape::read_all, "kost"},
    Row{"uniq", Shape::read_all, "fsw"},
    Row{"cut", Shape::read_all, "bcdf"},
    Row{"jq", Shape::read_after_first, ""},
    Row{"grep", Shape::read_after_first, "ABCDefm"},
    Row{"egrep", Shape::read_after_first, "ABCDefm"},
    Row{"fgrep", Shape::read_after_first, "ABCDefm"},
    Row{"rg", Shape::read_after_first, "ABCegjmtT"},
    // awk, perl and ruby edit in place like sed (`awk -i inplace`, `perl -pi -e`, `ruby -i -pe`).
    Row{"awk", Shape::sed, "Ffvi"},
    Row{"gawk", Shape::sed, "Ffvi"},
    Row{"perl", Shape::sed, "eEIM"},
    Row{"ruby", Shape::sed, "eIr"},
    Row{"tee", Shape::write_all, ""},
    Row{"touch", Shape::write_all, "dtr"},
    Row{"truncate", Shape::write_all, "rs"},
    Row{"rm", Shape::write_all, ""},
    Row{"unlink", Shape::write_all, ""},
    Row{"shred", Shape::write_all, "ns"},
    Row{"cp", Shape::copy, "S"},
    Row{"scp", Shape::copy, "cFiJloPS"},
    Row{"rsync", Shape::copy, "efT"},
    Row{"install", Shape::copy, "gmoS"},
    Row{"mv", Shape::move, "S"},
    // `ln -s TARGET LINK`: the link is written, and a link to a secret reads it as `cat` would.
    Row{"ln", Shape::copy, "St"},
    Row{"sed", Shape::sed, "ef"},
    Row{"dd", Shape::dd, ""},
    Row{"tar", Shape::tar, "CfTX"},
    Row{"curl", Shape::upload, ""},
    Row{"wget", Shape::upload, ""},
    Row{"http", Shape::upload, ""},
    Row{"https", Shape::upload, ""},
};

// Upload options whose value names a file to send, and how: `at` means only a value starting
// with `@` is a file (`-d @.env`; `-d x=1` is data); `form` means `name=@file` or `name=<file`;
// `whole` means the value is the file.
enum class UploadValue : uint8_t { at, form, whole };
struct UploadOption {
  std::string_view name;
  UploadValue value;
};
constexpr std::array kUploadOptions{
    UploadOption{"-d", UploadValue::at},
    UploadOption{"--data", UploadValue::at},
    UploadOption{"--data-binary", UploadValue::at},
    UploadOption{"--data-ascii", UploadValue::at},
    UploadOption{"--data-urlencode", UploadValue::form},
    UploadOption{"--json", UploadValue::at},
    UploadOption{"-F", UploadValue::form},
    UploadOption{"--form", UploadValue::form},
    UploadOption{"-T", UploadValue::whole},
    UploadOption{"--upload-file", UploadValue::whole},
    UploadOption{"--post-file", UploadValue::whole},
    UploadOption{"--body-file", UploadValue::whole},
};

// The file an upload option's value names, or empty.
std::string_view uploaded_file(UploadValue kind, std::string_view value) {
  if (kind == UploadValue::whole) return value;
  if (kind == UploadValue::form) {
    const size_t at = value.find_first_of("@<");
    if (at == std::string_view::npos) return {};
    value = value.substr(at + 1);
    return value.substr(0, value.find(';'));  // `-F f=@x;type=text/plain`
  }
  return value.rfind('@', 0) == 0 ? value.substr(1) : std::string_view{};
}

const Row* find_row(std::string_view program) {
  for (const Row& row : kPrograms) {
    if (row.program == program) return &row;
  }
  return nullptr;
}

bool is_write_redirection(std::string_view op) {
  return op == ">" || op == ">>" || op == ">|" || op == "&>" || op == "&>>" || op == "<>";
}
bool is_read_redirection(std::string_view op) {
  return op == "<" || op == "<>";
}

// `>&` and `<&` duplicate a descriptor (`2>&1`), unless the target is a word: `>& file` writes
// the file, and `>& /dev/tcp/host/port` opens a connection bash treats as a file.
bool is_descriptor(std::string_view target) {
  return target == "-" || target.find_first_not_of("0123456789-") == std::string_view::npos;
}

// `user@host:path` and `host:path` name another machine (scp, rsync); `C:/x` does not.
bool is_remote(std::string_view operand) {
  const size_t colon = operand.find(':');
  if (colon == std::string_view::npos || colon < 2) return false;
  const size_t slash = operand.find('/');
  return slash == std::string_view::npos || colon < slash;
}

struct Operands {
  std::vector<std::string> words;    // argv words that are not options or option values
  bool has_flag_i = false;           // sed -i, --in-place
  bool pattern_given = false;        // grep -e/-f, sed -e/-f, awk -f: no leading script operand
  bool creates = false;              // tar -c, --create
  std::vector<std::string> archive;  // tar -f ARCHIVE
};

// Splits argv[1..] into operands, skipping options and the values of `value_options`.
Operands split_operands(const shell::SimpleCommand& command, const Row& row) {
  Operands out;
  bool options_done = false;
  const auto& argv = command.argv;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (options_done || word.size() < 2 || word[0] != '-') {
      out.words.push_back(word);
      continue;
    }
    if (word == "--") {
      options_done = true;
      continue;
    }
    if (word.rfind("--", 0) == 0) {
      out.has_flag_i = out.has_flag_i || word.rfind("--in-place", 0) == 0;
      out.creates = out.creates || word == "--create";
      if (word.rfind("--file=", 0) == 0) out.archive.push_back(word.substr(7));
      continue;
    }
    // A cluster of short options; the first one that takes a value consumes the rest of the
    // word, or the next word when it ends the cluster.
    for (size_t j = 1; j < word.size(); ++j) {
      const char c = word[j];
      out.has_flag_i = out.has_flag_i || c == 'i';
      out.creates = out.creates || c == 'c';
      if (row.value_options.find(c) == std::string_view::npos) continue;
      std::string value = word.substr(j + 1);
      if (value.empty() && i + 1 < argv.size()) value = argv[++i];
      if (c == 'f' && row.shape == Shape::tar) out.archive.push_back(value);
      if ((c == 'e' || c == 'f') && row.shape != Shape::tar) out.pattern_given = true;
      break;
    }
  }
  // tar's first word may be a bundle of letters without a dash: `tar czf out.tgz src`.
  if (row.shape == Shape::tar && !out.words.empty() && argv.size() > 1 &&
      argv[1] == out.words.front() &&
      argv[1].find_first_not_of("cxtzjJvfpr") == std::string::npos) {
    const std::string bundle = out.words.front();
    out.words.erase(out.words.begin());
    out.creates = bundle.find('c') != std::string::npos;
    if (bundle.find('f') != std::string::npos && !out.words.empty()) {
      out.archive.push_back(out.words.front());
      out.words.erase(out.words.begin());
    }
  }
  return out;
}

class Collector {
 public:
  explicit Collector(std::string_view cwd) : cwd_(cwd) {}
  void add(std::string_view path, bool write, std::string_view via) {
    if (path.empty() || path == "-" || is_remote(path)) return;
    std::string normal = normalise_path(path, cwd_);
    for (const FileAccess& seen : out_) {
      if (seen.path == normal && seen.write == write) return;
    }
    out_.push_back(FileAccess{std::move(normal), write, via});
  }
  std::vector<FileAccess> take() { return std::move(out_); }

 private:
  std::string_view cwd_;
  std::vector<FileAccess> out_;
};

void add_operands(const Row& row, const Operands& ops, Collector& out) {
  const auto& words = ops.words;
  switch (row.shape) {
    case Shape::read_all:
    case Shape::write_all:
      for (const auto& w : words) out.add(w, row.shape == Shape::write_all, "operand");
      break;
    case Shape::read_after_first:
      for (size_t i = ops.pattern_given ? 0 : 1; i < words.size(); ++i) {
        out.add(words[i], false, "operand");
      }
      break;
    case Shape::copy:
    case Shape::move:
      for (size_t i = 0; i < words.size(); ++i) {
        const bool target = i + 1 == words.size() && words.size() > 1;
        out.add(words[i], target || row.shape == Shape::move, "operand");
      }
      break;
    case Shape::sed:
      for (size_t i = ops.pattern_given ? 0 : 1; i < words.size(); ++i) {
        out.add(words[i], ops.has_flag_i, "operand");
      }
      break;
    case Shape::dd:
      for (const auto& w : words) {
        if (w.rfind("if=", 0) == 0) out.add(std::string_view(w).substr(3), false, "operand");
        if (w.rfind("of=", 0) == 0) out.add(std::string_view(w).substr(3), true, "operand");
      }
      break;
    case Shape::upload:
      break;  // read from argv by add_uploads: their values look like options to split_operands
    case Shape::tar:
      for (const auto& a : ops.archive) out.add(a, ops.creates, "operand");
      if (ops.creates) {
        for (const auto& w : words) out.add(w, false, "operand");
      }
      break;
  }
}

// The files curl and wget send: `-d @f`, `-d@f`, `--data=@f`, `-F k=@f`, `-T f`, ...
void add_uploads(const shell::SimpleCommand& command, Collector& out) {
  const auto& argv = command.argv;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string_view word = argv[i];
    for (const UploadOption& option : kUploadOptions) {
      std::string_view value;
      if (word == option.name) {
        if (i + 1 >= argv.size()) break;
        value = argv[i + 1];
      } else if (word.rfind(option.name, 0) == 0) {
        // Attached value: `-d@f` for short options, `--data=@f` for long ones.
        value = word.substr(option.name.size());
        if (option.name.size() > 2) {
          if (value.empty() || value.front() != '=') continue;
          value.remove_prefix(1);
        }
      } else {
        continue;
      }
      const std::string_view file = uploaded_file(option.value, value);
      if (!file.empty()) out.add(file, false, "operand");
      break;
    }
  }
}

}  // namespace

std::vector<FileAccess> file_accesses(const shell::SimpleCommand& command, std::string_view cwd) {
  Collector out(cwd);
  for (const shell::Redirection& r : command.redirections) {
    if (is_write_redirection(r.op)) out.add(r.target, true, "redirection");
    if (is_read_redirection(r.op)) out.add(r.target, false, "redirection");
    if ((r.op == ">&" || r.op == "<&") && !is_descriptor(r.target)) {
      out.add(r.target, r.op == ">&", "redirection");
    }
  }
  if (const Row* row = find_row(command.program)) {
    if (row->shape == Shape::upload) {
      add_uploads(command, out);
    } else {
      add_operands(*row, split_operands(command, *row), out);
    }
  }
  return out.take();
}

}  // namespace vectimus::normalise
