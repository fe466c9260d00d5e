// SQL clients and the canonical SQL text. See sql.hpp.
#include "normalise/shell/sql.hpp"

#include <array>
#include <cctype>

#include "support/text.hpp"

namespace vectimus::shell {
namespace {

// A database client's command line: which options carry SQL, which other options take a value
// (so their value is not taken for an operand), and whether operands after the database are SQL.
struct SqlClient {
  std::string_view name;
  std::string_view sql_short;  // option letters whose value is SQL
  std::string_view sql_long;   // space-separated long options whose value is SQL
  std::string_view arg_short;  // other option letters that take a value
  std::string_view arg_long;   // other long options that take a value
  bool operand_sql = false;    // `sqlite3 DB SQL…`: operands after the first are SQL
};

constexpr std::array kClients = {
    SqlClient{"psql", "c", "command", "hpUdfoTvPLFR",
              "host port username dbname file output table-attr set variable pset log-file"},
    SqlClient{"mysql", "e", "execute", "hPuDSo", "host port user database socket"},
    SqlClient{"mariadb", "e", "execute", "hPuDSo", "host port user database socket"},
    SqlClient{"sqlite3", "", "", "", "", true},
    SqlClient{"sqlite", "", "", "", "", true},
    SqlClient{"duckdb", "c", "", "", "", true},
    SqlClient{"litecli", "e", "execute", "", "", false},
    SqlClient{"mycli", "e", "execute", "hPuDS", "host port user database socket"},
    SqlClient{"pgcli", "", "", "hpUdW", "host port username dbname"},
    SqlClient{"usql", "c", "command", "fo", "file out"},
    SqlClient{"sqlcmd", "Qq", "query", "SUPdio", "server user-name password database-name"},
    SqlClient{"clickhouse-client", "q", "query", "hpud", "host port user password database"},
    SqlClient{"cockroach", "e", "execute", "du", "database url user host"},
    SqlClient{"snowsql", "q", "query", "acudrsw",
              "accountname username dbname schemaname rolename warehouse"},
    SqlClient{"cqlsh", "e", "execute", "uk", "username keyspace"},
    SqlClient{"trino", "", "execute", "", "server catalog schema user"},
};

const SqlClient* find_client(std::string_view program) {
  for (const SqlClient& c : kClients)
    if (c.name == program) return &c;
  return nullptr;
}

// The SQL given on the command line. Options may follow operands (getopt permutes).
std::string argv_sql(const SqlClient& client, const std::vector<std::string>& argv) {
  std::string out;
  auto add = [&out](const std::string& text) {
    if (!out.empty()) out += '\n';
    out += text;
  };
  std::size_t operands = 0;
  bool options = true;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (options && a == "--") {
      options = false;
      continue;
    }
    if (!options || a.size() < 2 || a[0] != '-') {
      if (client.operand_sql && operands++ > 0) add(a);
      continue;
    }
    if (a[1] == '-') {
      const std::size_t eq = a.find('=');
      const std::string_view name =
          std::string_view(a).substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      const bool sql = in_words(client.sql_long, name);
      if (!sql && !in_words(client.arg_long, name)) continue;
      std::string value =
          eq != std::string::npos ? a.substr(eq + 1) : (i + 1 < argv.size() ? argv[++i] : "");
      if (sql) add(value);
      continue;
    }
    for (std::size_t k = 1; k < a.size(); ++k) {
      const bool sql = client.sql_short.find(a[k]) != std::string_view::npos;
      if (!sql && client.arg_short.find(a[k]) == std::string_view::npos) continue;
      std::string value =
          k + 1 < a.size() ? a.substr(k + 1) : (i + 1 < argv.size() ? argv[++i] : "");
      if (sql) add(value);
      break;
    }
  }
  return out;
}

bool space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::optional<std::string> sql_text(std::string_view program, const std::vector<std::string>& argv,
                                    const std::string* stdin_text) {
  const SqlClient* client = find_client(program);
  if (client == nullptr) return std::nullopt;
  std::string text = argv_sql(*client, argv);
  if (stdin_text != nullptr && !stdin_text->empty()) {
    if (!text.empty()) text += '\n';
    text += *stdin_text;
  }
  if (text.empty()) return std::nullopt;
  return text;
}

std::string normalise_sql(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  char quote = 0;
  auto put = [&](char c) {
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {  // inside a literal or a quoted name: kept, whitespace too
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      put(c);
      quote = c;
    } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      while (i < text.size() && text[i] != '\n') ++i;  // to the end of the line
      pending_space = true;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const std::size_t end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 1;
      pending_space = true;
    } else if (space(c)) {
      pending_space = true;
    } else {
      put(c);
    }
  }
  return out;
}

}  // namespace vectimus::shell
