#include "interpreter/json.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <unordered_set>

#include <simdjson.h>

#include "interpreter/json_locate.hpp"
#include "ir/print.hpp"
#include "support/limits.hpp"

namespace vectimus::interpreter {

namespace {

namespace dom = simdjson::dom;

bool is_ident(std::string_view s) {
  if (s.empty()) return false;
  const auto alpha = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  if (!alpha(s[0])) return false;
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

// An entity type is a Cedar path: IDENT {'::' IDENT}.
bool is_type_path(std::string_view s) {
  while (true) {
    const size_t sep = s.find("::");
    if (!is_ident(s.substr(0, sep))) return false;
    if (sep == std::string_view::npos) return true;
    s.remove_prefix(sep + 2);
  }
}

// Converts one JSON document to Cedar values, remembering where it is so that every error can
// name the attribute path and point into the source. The first error stops the conversion.
class Loader {
 public:
  explicit Loader(SourcePtr source) : source_(std::move(source)) {}

  bool parse(dom::parser& parser, dom::element& root) {
    const simdjson::error_code code = parser.parse(source_->text).get(root);
    if (code == simdjson::SUCCESS) return true;
    if (code == simdjson::NUMBER_ERROR) {
      // simdjson refuses integers beyond 64 bits outright; name the number if we can find it.
      if (const std::optional<Span> at = find_out_of_range_integer(source_->text)) {
        const std::string number(source_->text.substr(at->begin, at->end - at->begin));
        errors_.push_back(make_error(
            "json", "the number " + number + " is outside the range of Cedar's 64-bit integers",
            Location{source_, *at}));
        return false;
      }
    }
    fail("json", std::string("invalid JSON: ") + simdjson::error_message(code));
    return false;
  }

  // `subject` names what is being read in messages, e.g. "context" or "entity `T::\"x\"`".
  void set_subject(std::string subject, size_t attr_path_start) {
    subject_ = std::move(subject);
    attr_path_start_ = attr_path_start;
  }

  std::optional<Value> value(dom::element e, size_t depth) {
    if (depth > limits::kMaxJsonDepth) {
      fail("limit", where() + " is nested more than " + std::to_string(limits::kMaxJsonDepth) +
                        " levels deep");
      return std::nullopt;
    }
    switch (e.type()) {
      case dom::element_type::BOOL: {
        bool b = false;
        if (e.get_bool().get(b) != simdjson::SUCCESS) break;
        return Value::boolean(b);
      }
      case dom::element_type::INT64: {
        int64_t n = 0;
        if (e.get_int64().get(n) != simdjson::SUCCESS) break;
        return Value::long_(n);
      }
      case dom::element_type::UINT64: {
        uint64_t n = 0;
        if (e.get_uint64().get(n) != simdjson::SUCCESS) break;
        fail("json", where() + " is the number " + std::to_string(n) +
                         ", outside the range of Cedar's 64-bit integers");
        return std::nullopt;
      }
      case dom::element_type::DOUBLE: {
        double d = 0;
        if (e.get_double().get(d) != simdjson::SUCCESS) break;
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", d);
        fail("json", where() + " is the number " + buf +
                         ", but Cedar numbers are 64-bit integers (no fractions, exponents or "
                         "values out of range)");
        return std::nullopt;
      }
      case dom::element_type::STRING: {
        std::string_view text;
        if (e.get_string().get(text) != simdjson::SUCCESS) break;
        return Value::string(std::string(text));
      }
      case dom::element_type::NULL_VALUE:
        fail("json", where() + " is null; JSON nulls are not allowed in Cedar");
        return std::nullopt;
      case dom::element_type::ARRAY: {
        dom::array array;
        if (e.get_array().get(array) != simdjson::SUCCESS)
          break;  // cannot fail: the type was checked
        std::vector<Value> elems;
        elems.reserve(array.size());
        size_t i = 0;
        for (dom::element item : array) {
          path_.push_back(JsonPathStep{false, {}, i++});
          std::optional<Value> v = value(item, depth + 1);
          if (!v) return std::nullopt;
          path_.pop_back();
          elems.push_back(std::move(*v));
        }
        return Value::set(std::move(elems));
      }
      case dom::element_type::OBJECT: {
        dom::object obj;
        if (e.get_object().get(obj) != simdjson::SUCCESS)
          break;  // cannot fail: the type was checked
        return object(obj, depth);
      }
    }
    fail("json", where() + " has an unknown JSON type");
    return std::nullopt;
  }

  // `{"type","id"}` or `{"__entity":{"type","id"}}`.
  std::optional<ir::EntityUid> uid(dom::element e, std::string_view what) {
    dom::object obj;
    if (e.get_object().get(obj) == simdjson::SUCCESS) {
      dom::element inner;
      if (obj.at_key("__entity").get(inner) == simdjson::SUCCESS) {
        path_.push_back(JsonPathStep{true, "__entity", 0});
        std::optional<ir::EntityUid> out = uid_fields(inner, what);
        if (out) path_.pop_back();
        return out;
      }
      return uid_fields(e, what);
    }
    fail("json", std::string(what) + " must be an object `{\"type\": ..., \"id\": ...}`");
    return std::nullopt;
  }

  void fail(std::string code, std::string message) {
    std::optional<Location> at;
    if (source_) {
      const std::optional<Span> span = locate_json_path(source_->text, path_);
      at = Location{source_, span.value_or(Span{})};
    }
    errors_.push_back(make_error(std::move(code), std::move(message), std::move(at)));
  }

  std::vector<JsonPathStep>& path() { return path_; }
  Diagnostics take_errors() { return std::move(errors_); }

 private:
  std::optional<Value> object(dom::object obj, size_t depth) {
    // Cedar's escapes: a one-key object `__entity` is an entity reference; `__extn` (and the
    // legacy `__expr`) would need extension functions or expressions, which we do not support.
    if (obj.size() == 1) {
      const dom::key_value_pair only = *obj.begin();
      if (only.key == "__entity") {
        path_.push_back(JsonPathStep{true, only.key, 0});
        std::optional<ir::EntityUid> u = uid_fields(only.value, "an `__entity` reference");
        if (!u) return std::nullopt;
        path_.pop_back();
        return Value::entity(std::move(*u));
      }
      if (only.key == "__extn" || only.key == "__expr") {
        fail("unsupported", where() + " is an extension value (`" + std::string(only.key) +
                                "`); extension values are not supported");
        return std::nullopt;
      }
    }
    std::vector<std::pair<std::string, Value>> fields;
    fields.reserve(obj.size());
    for (const dom::key_value_pair field : obj) {
      path_.push_back(JsonPathStep{true, field.key, 0});
      std::optional<Value> v = value(field.value, depth + 1);
      if (!v) return std::nullopt;
      path_.pop_back();
      fields.emplace_back(std::string(field.key), std::move(*v));
    }
    // Cedar rejects duplicate keys in records (serde MapPreventDuplicates) rather than letting
    // one win silently; so do we.
    std::vector<std::string_view> keys;
    keys.reserve(fields.size());
    for (const auto& f : fields) keys.push_back(f.first);
    std::sort(keys.begin(), keys.end());
    const auto dup = std::adjacent_find(keys.begin(), keys.end());
    if (dup != keys.end()) {
      fail("json", where() + " has the key `" + std::string(*dup) + "` more than once");
      return std::nullopt;
    }
    return Value::record(std::move(fields));
  }

  std::optional<ir::EntityUid> uid_fields(dom::element e, std::string_view what) {
    dom::object obj;
    std::string_view type;
    std::string_view id;
    if (e.get_object().get(obj) != simdjson::SUCCESS ||
        obj.at_key("type").get_string().get(type) != simdjson::SUCCESS ||
        obj.at_key("id").get_string().get(id) != simdjson::SUCCESS) {
      fail("json", std::string(what) + " must be an object with string fields `type` and `id`");
      return std::nullopt;
    }
    if (!is_type_path(type)) {
      fail("json", std::string(what) + " has the invalid entity type `" + std::string(type) + "`");
      return std::nullopt;
    }
    return ir::EntityUid{std::string(type), std::string(id)};
  }

  // "context attribute `a.b[1]`", "attribute `a` of entity `T::\"x\"`", or the subject alone.
  std::string where() const {
    std::string attr;
    for (size_t i = attr_path_start_; i < path_.size(); ++i) {
      const JsonPathStep& step = path_[i];
      if (step.is_key) {
        if (!attr.empty()) attr += '.';
        attr += step.key;
      } else {
        attr += '[' + std::to_string(step.index) + ']';
      }
    }
    if (attr.empty()) return subject_;
    if (subject_ == "context") return "context attribute `" + attr + "`";
    return "attribute `" + attr + "` of " + subject_;
  }

  SourcePtr source_;
  std::vector<JsonPathStep> path_;
  size_t attr_path_start_ = 0;
  std::string subject_ = "value";
  Diagnostics errors_;
};

// Reused across calls: simdjson's parser keeps its buffers, which saves allocations per hook run.
dom::parser& thread_parser() {
  static thread_local dom::parser parser;
  return parser;
}

std::optional<Entity> load_entity(Loader& loader, dom::element e, size_t index) {
  const std::string what = "entity #" + std::to_string(index);
  dom::object obj;
  if (e.get_object().get(obj) != simdjson::SUCCESS) {
    loader.fail("json", what + " must be an object with `uid`, `attrs` and `parents`");
    return std::nullopt;
  }
  dom::element field;
  if (obj.at_key("uid").get(field) != simdjson::SUCCESS) {
    loader.fail("json", what + " has no `uid`");
    return std::nullopt;
  }
  auto& path = loader.path();
  path.push_back(JsonPathStep{true, "uid", 0});
  std::optional<ir::EntityUid> uid = loader.uid(field, "the `uid` of " + what);
  if (!uid) return std::nullopt;
  path.pop_back();

  Entity entity;
  entity.uid = std::move(*uid);
  const std::string subject = "entity `" + ir::to_cedar(entity.uid) + "`";
  // Missing `attrs` or `parents` are taken as empty; `tags` are ignored (we have no getTag).
  if (obj.at_key("attrs").get(field) == simdjson::SUCCESS) {
    path.push_back(JsonPathStep{true, "attrs", 0});
    if (!field.is_object()) {
      loader.fail("json", "the `attrs` of " + subject + " must be an object");
      return std::nullopt;
    }
    loader.set_subject(subject, path.size());
    std::optional<Value> attrs = loader.value(field, 1);
    if (!attrs) return std::nullopt;
    entity.attrs = std::move(*attrs);
    path.pop_back();
  }
  if (obj.at_key("parents").get(field) == simdjson::SUCCESS) {
    path.push_back(JsonPathStep{true, "parents", 0});
    dom::array parents;
    if (field.get_array().get(parents) != simdjson::SUCCESS) {
      loader.fail("json", "the `parents` of " + subject + " must be an array");
      return std::nullopt;
    }
    size_t i = 0;
    for (dom::element p : parents) {
      path.push_back(JsonPathStep{false, {}, i++});
      std::optional<ir::EntityUid> parent = loader.uid(p, "a parent of " + subject);
      if (!parent) return std::nullopt;
      path.pop_back();
      entity.parents.push_back(std::move(*parent));
    }
    path.pop_back();
  }
  return entity;
}

}  // namespace

Result<Entities> parse_entities_json(const SourcePtr& source) {
  Loader loader(source);
  dom::element root;
  if (!loader.parse(thread_parser(), root)) return loader.take_errors();
  dom::array list;
  if (root.get_array().get(list) != simdjson::SUCCESS) {
    loader.fail("json", "entities must be a JSON array of entity objects");
    return loader.take_errors();
  }
  Entities entities;
  std::unordered_set<std::string> seen;
  size_t index = 0;
  for (dom::element e : list) {
    loader.path().assign(1, JsonPathStep{false, {}, index});
    std::optional<Entity> entity = load_entity(loader, e, index);
    if (!entity) return loader.take_errors();
    // Cedar rejects a second entry for the same entity instead of merging or replacing.
    const std::string key = ir::to_cedar(entity->uid);
    if (!seen.insert(key).second) {
      loader.fail("json", "duplicate entity entry `" + key + "`");
      return loader.take_errors();
    }
    entities.add(std::move(*entity));
    ++index;
  }
  entities.finish();
  return entities;
}

Result<Value> parse_context_json(const SourcePtr& source) {
  Loader loader(source);
  dom::element root;
  if (!loader.parse(thread_parser(), root)) return loader.take_errors();
  loader.set_subject("context", 0);
  std::optional<Value> context = loader.value(root, 0);
  if (!context) return loader.take_errors();
  if (context->kind() != Kind::record) {
    loader.fail("json", "the context must be a JSON object, not " + describe_type(*context));
    return loader.take_errors();
  }
  return std::move(*context);
}

Result<ir::EntityUid> parse_entity_uid_json(const SourcePtr& source) {
  Loader loader(source);
  dom::element root;
  if (!loader.parse(thread_parser(), root)) return loader.take_errors();
  std::optional<ir::EntityUid> uid = loader.uid(root, "an entity UID");
  if (!uid) return loader.take_errors();
  return std::move(*uid);
}

}  // namespace vectimus::interpreter
