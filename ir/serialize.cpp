#include "ir/serialize.hpp"

#include <algorithm>
#include <limits>

namespace vectimus::ir {
namespace {

constexpr std::string_view kMagic = "VECTIMUS-IR\n";
// The parser bounds nesting at limits::kMaxExpressionDepth; desugaring (`has a.b.c`) adds a
// level per path step, so the decoder allows more, but still few enough for the stack.
constexpr uint32_t kMaxDecodeDepth = 2048;

// Which optional Expr fields follow (those at their default are not written).
enum ExprField : uint32_t {
  kBoolean = 1,
  kNumber = 2,
  kText = 4,
  kUid = 8,
  kVar = 16,
  kPattern = 32,
  kKeys = 64,
  kChildren = 128,
};

void write_span(Writer& w, Span span) {
  w.u64(span.begin);
  w.u64(span.end - span.begin);
}

void write_uid(Writer& w, const EntityUid& uid) {
  w.str(uid.type);
  w.str(uid.id);
}

void write_expr(Writer& w, const Expr& e) {
  w.u64(static_cast<uint64_t>(e.op));
  write_span(w, e.span);
  uint32_t fields = 0;
  if (e.boolean) fields |= kBoolean;
  if (e.number != 0) fields |= kNumber;
  if (!e.text.empty()) fields |= kText;
  if (!e.uid.type.empty() || !e.uid.id.empty()) fields |= kUid;
  if (e.var != Var::context) fields |= kVar;
  if (!e.pattern.empty()) fields |= kPattern;
  if (!e.keys.empty()) fields |= kKeys;
  if (!e.children.empty()) fields |= kChildren;
  w.u64(fields);
  if (fields & kNumber) w.i64(e.number);
  if (fields & kText) w.str(e.text);
  if (fields & kUid) write_uid(w, e.uid);
  if (fields & kVar) w.u64(static_cast<uint64_t>(e.var));
  if (fields & kPattern) {
    w.u64(e.pattern.size());
    for (const PatternElem& p : e.pattern) {
      w.u64(p.wildcard ? 1 : 0);
      if (!p.wildcard) w.str(p.literal);
    }
  }
  if (fields & kKeys) {
    w.u64(e.keys.size());
    for (const std::string& k : e.keys) w.str(k);
  }
  if (fields & kChildren) {
    w.u64(e.children.size());
    for (const Expr& c : e.children) write_expr(w, c);
  }
}

void write_scope(Writer& w, const ScopeConstraint& c) {
  w.u64(static_cast<uint64_t>(c.kind));
  w.u64(c.entities.size());
  for (const EntityUid& uid : c.entities) write_uid(w, uid);
  w.str(c.entity_type);
  write_span(w, c.span);
}

// Whether `e` has the children its op needs (the interpreter relies on it).
bool well_formed(const Expr& e) {
  const size_t n = e.children.size();
  switch (e.op) {
    case Op::bool_lit:
    case Op::long_lit:
    case Op::string_lit:
    case Op::entity_lit:
    case Op::var: return n == 0;
    case Op::not_:
    case Op::neg:
    case Op::is_empty:
    case Op::get_attr:
    case Op::has_attr:
    case Op::like:
    case Op::is_type: return n == 1;
    case Op::if_then_else: return n == 3;
    case Op::set: return true;
    case Op::record: return n == e.keys.size();
    default: return n == 2;  // the binary operators
  }
}

// Decoding one policy set; `limit` is the current policy's source length (spans must fit).
class Decoder {
 public:
  explicit Decoder(std::string_view bytes) : r_(bytes) {}
  Reader& reader() { return r_; }

  Span span(uint32_t limit) {
    const uint32_t begin = r_.u32();
    const uint32_t length = r_.u32();
    if (!r_.ok()) return {};
    if (begin > limit || length > limit - begin) {
      r_.fail("a span lies outside its source");
      return {};
    }
    return Span{begin, begin + length};
  }

  EntityUid uid() {
    EntityUid out;
    out.type = r_.str();
    out.id = r_.str();
    return out;
  }

  bool expr(Expr& e, uint32_t limit, uint32_t depth) {
    if (depth > kMaxDecodeDepth) {
      r_.fail("expressions nested too deeply");
      return false;
    }
    e.op = static_cast<Op>(r_.bounded(static_cast<uint32_t>(Op::record)));
    e.span = span(limit);
    const uint32_t fields = r_.bounded(255);
    e.boolean = (fields & kBoolean) != 0;
    if (fields & kNumber) e.number = r_.i64();
    if (fields & kText) e.text = r_.str();
    if (fields & kUid) e.uid = uid();
    if (fields & kVar) e.var = static_cast<Var>(r_.bounded(static_cast<uint32_t>(Var::context)));
    if (fields & kPattern) {
      e.pattern.resize(r_.count());
      for (PatternElem& p : e.pattern) {
        p.wildcard = r_.bounded(1) == 1;
        if (!p.wildcard) p.literal = r_.str();
      }
    }
    if (fields & kKeys) {
      e.keys.resize(r_.count());
      for (std::string& k : e.keys) k = r_.str();
    }
    if (fields & kChildren) {
      // Each child takes at least 4 bytes (op, span begin, span length, fields).
      e.children.resize(r_.count(4));
      for (Expr& c : e.children) {
        if (!r_.ok() || !expr(c, limit, depth + 1)) return false;
      }
    }
    if (r_.ok() && !well_formed(e)) r_.fail("an expression has the wrong number of operands");
    return r_.ok();
  }

  void scope(ScopeConstraint& c, uint32_t limit) {
    c.kind = static_cast<ScopeConstraint::Kind>(
        r_.bounded(static_cast<uint32_t>(ScopeConstraint::Kind::is_in)));
    c.entities.resize(r_.count(2));
    for (EntityUid& uid : c.entities) uid = this->uid();
    c.entity_type = r_.str();
    c.span = span(limit);
  }

 private:
  Reader r_;
};

Diagnostic corrupt(const std::string& why, size_t offset) {
  return make_error(
      "serialized",
      "the compiled policy set is unusable: " + why + " (at byte " + std::to_string(offset) + ")",
      std::nullopt, "rebuild vectimus; the built-in packs are compiled at build time");
}

}  // namespace

void Writer::u64(uint64_t value) {
  while (value >= 0x80) {
    out_.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out_.push_back(static_cast<char>(value));
}

void Writer::str(std::string_view text) {
  u64(text.size());
  out_.append(text);
}

void Reader::fail(std::string why) {
  if (error_.empty()) error_ = std::move(why);
}

uint64_t Reader::u64_slow() {
  uint64_t value = 0;
  for (unsigned shift = 0; ok(); shift += 7) {
    if (at_ == bytes_.size()) {
      fail("the data ends in the middle of a number");
      break;
    }
    const auto byte = static_cast<uint8_t>(bytes_[at_++]);
    if (shift == 63 && byte > 1) {
      fail("a number is out of range");
      break;
    }
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return 0;
}

uint32_t Reader::u32() {
  const uint64_t value = u64();
  if (value > std::numeric_limits<uint32_t>::max()) {
    fail("a number is out of range");
    return 0;
  }
  return ok() ? static_cast<uint32_t>(value) : 0;
}

std::string_view Reader::raw(size_t size) {
  if (!ok()) return {};
  if (size > bytes_.size() - at_) {
    fail("the data ends in the middle of a string");
    return {};
  }
  const std::string_view out = bytes_.substr(at_, size);
  at_ += size;
  return out;
}

std::string Reader::str() {
  const uint64_t size = u64();
  if (!ok()) return {};
  if (size > bytes_.size() - at_) {
    fail("the data ends in the middle of a string");
    return {};
  }
  return std::string(raw(static_cast<size_t>(size)));
}

uint32_t Reader::count(size_t min_bytes) {
  const uint32_t n = u32();
  if (!ok()) return 0;
  if (min_bytes > 0 && n > (bytes_.size() - at_) / min_bytes) {
    fail("a count is larger than the data left");
    return 0;
  }
  return n;
}

uint32_t Reader::bounded(uint32_t max) {
  const uint32_t value = u32();
  if (!ok()) return 0;
  if (value > max) {
    fail("a value is out of range");
    return 0;
  }
  return value;
}

Result<std::string> serialize(const PolicySet& set, std::span<const SourcePtr> sources) {
  Writer w;
  w.raw(kMagic);
  w.u64(kFormatVersion);
  w.u64(sources.size());
  for (const SourcePtr& source : sources) {
    w.str(source->name);
    w.u64(source->text.size());
  }
  // Each policy is written on its own, and the table of their lengths goes first, so a reader
  // can find and decode any one policy without the others.
  std::vector<std::string> bodies;
  for (const Policy& p : set.policies) {
    const auto it = std::find(sources.begin(), sources.end(), p.source);
    if (it == sources.end()) {
      return make_error("serialized", "policy `" + p.id() + "` comes from a source not listed");
    }
    Writer b;
    b.str(p.positional_id);
    b.u64(static_cast<uint64_t>(p.effect));
    b.u64(static_cast<uint64_t>(it - sources.begin()));
    write_span(b, p.span);
    write_scope(b, p.scope.principal);
    write_scope(b, p.scope.action);
    write_scope(b, p.scope.resource);
    b.u64(p.conditions.size());
    for (const Condition& c : p.conditions) {
      b.u64(c.is_when ? 1 : 0);
      write_span(b, c.span);
      write_expr(b, c.body);
    }
    b.u64(p.annotations.size());
    for (const Annotation& a : p.annotations) {
      b.str(a.key);
      b.str(a.value);
      write_span(b, a.span);
    }
    bodies.push_back(std::move(b.bytes()));
  }
  w.u64(bodies.size());
  for (const std::string& body : bodies) w.u64(body.size());
  for (const std::string& body : bodies) w.raw(body);
  return std::move(w.bytes());
}

Result<SerializedSet> SerializedSet::open(std::string_view bytes,
                                          std::span<const SourcePtr> sources) {
  Reader r(bytes);
  if (r.raw(kMagic.size()) != kMagic)
    return corrupt("it does not start with the format's magic", 0);
  if (const uint64_t version = r.u64(); r.ok() && version != kFormatVersion) {
    return corrupt("format version " + std::to_string(version) + ", expected " +
                       std::to_string(kFormatVersion),
                   r.offset());
  }
  const uint32_t source_count = r.count(2);
  if (r.ok() && source_count != sources.size()) {
    return corrupt("it was made from " + std::to_string(source_count) + " sources, not " +
                       std::to_string(sources.size()),
                   r.offset());
  }
  for (uint32_t i = 0; i < source_count && r.ok(); ++i) {
    const std::string_view name = r.raw(r.u32());
    const uint64_t size = r.u64();
    if (r.ok() && (name != sources[i]->name || size != sources[i]->text.size())) {
      return corrupt("source " + std::to_string(i) + " is `" + std::string(name) + "` (" +
                         std::to_string(size) + " bytes), but `" + sources[i]->name + "` (" +
                         std::to_string(sources[i]->text.size()) + " bytes) was given",
                     r.offset());
    }
  }
  SerializedSet out;
  out.sources_.assign(sources.begin(), sources.end());
  // A policy takes at least a dozen bytes (ids, effect, source, span, three scopes, counts).
  const uint32_t count = r.count(12);
  out.offsets_.clear();
  out.offsets_.reserve(count + 1);
  std::vector<uint64_t> lengths(count);
  for (uint64_t& length : lengths) length = r.u64();
  uint64_t at = r.offset();
  for (const uint64_t length : lengths) {
    out.offsets_.push_back(static_cast<uint32_t>(std::min<uint64_t>(at, bytes.size())));
    at += std::min<uint64_t>(length, bytes.size());
  }
  out.offsets_.push_back(static_cast<uint32_t>(std::min<uint64_t>(at, bytes.size())));
  if (r.ok() && at != bytes.size()) {
    r.fail(at < bytes.size() ? "there are bytes after the last policy"
                             : "the policies' lengths run past the end of the data");
  }
  if (r.ok() && bytes.size() > std::numeric_limits<uint32_t>::max()) r.fail("it is too large");
  if (!r.ok()) return corrupt(r.error(), r.offset());
  out.bytes_ = bytes;
  return out;
}

Result<Policy> SerializedSet::policy(size_t i) const {
  const size_t begin = offsets_[i];
  Decoder d(bytes_.substr(begin, offsets_[i + 1] - begin));
  Reader& r = d.reader();
  const auto source_count = static_cast<uint32_t>(sources_.size());
  Policy p;
  p.positional_id = r.str();
  p.effect = static_cast<Effect>(r.bounded(static_cast<uint32_t>(Effect::forbid)));
  const uint32_t source = r.bounded(source_count == 0 ? 0 : source_count - 1);
  if (r.ok() && source_count == 0) r.fail("a policy refers to a missing source");
  if (r.ok()) {
    p.source = sources_[source];
    const auto limit = static_cast<uint32_t>(
        std::min<size_t>(p.source->text.size(), std::numeric_limits<uint32_t>::max()));
    p.span = d.span(limit);
    d.scope(p.scope.principal, limit);
    d.scope(p.scope.action, limit);
    d.scope(p.scope.resource, limit);
    p.conditions.resize(r.count(6));
    for (Condition& c : p.conditions) {
      c.is_when = r.bounded(1) == 1;
      c.span = d.span(limit);
      if (!r.ok() || !d.expr(c.body, limit, 0)) break;
    }
    p.annotations.resize(r.count(4));
    for (Annotation& a : p.annotations) {
      a.key = r.str();
      a.value = r.str();
      a.span = d.span(limit);
    }
  }
  if (r.ok() && !r.at_end()) r.fail("a policy has bytes after its end");
  if (!r.ok()) return corrupt(r.error() + " in policy " + std::to_string(i), begin + r.offset());
  return p;
}

Result<PolicySet> deserialize(std::string_view bytes, std::span<const SourcePtr> sources) {
  auto set = SerializedSet::open(bytes, sources);
  if (!set) return std::move(set).take_errors();
  PolicySet out;
  out.policies.reserve(set->size());
  for (size_t i = 0; i < set->size(); ++i) {
    auto policy = set->policy(i);
    if (!policy) return std::move(policy).take_errors();
    out.policies.push_back(std::move(policy).value());
  }
  return out;
}

}  // namespace vectimus::ir
