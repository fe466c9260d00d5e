# simdjson, as the target `vectimus_simdjson`.
#
# Debian ships simdjson only as a shared library, and every shared library the hook loads costs
# start-up time before every tool call (the dynamic loader's symbol lookups were 2M of the hook's
# instructions). So when simdjson's source is at hand, from Debian's own source package (fetched
# by .ci/deps into .deps/simdjson, the same version as libsimdjson-dev), it is compiled in as a
# static library and the vectimus binary links statically. Otherwise the shared library is used
# and everything still works, only slower to start.
set(VECTIMUS_SIMDJSON_SOURCE "${PROJECT_SOURCE_DIR}/.deps/simdjson" CACHE PATH
    "simdjson's source tree (Debian's source package); empty or missing: use the shared library")

if(EXISTS "${VECTIMUS_SIMDJSON_SOURCE}/singleheader/simdjson.cpp")
  add_library(vectimus_simdjson STATIC "${VECTIMUS_SIMDJSON_SOURCE}/singleheader/simdjson.cpp")
  target_include_directories(vectimus_simdjson SYSTEM PUBLIC
                             "${VECTIMUS_SIMDJSON_SOURCE}/singleheader")
  # Third-party code: built as shipped, without our warnings-as-errors or sanitizers.
  set_target_properties(vectimus_simdjson PROPERTIES COMPILE_OPTIONS "-w")
  set(VECTIMUS_STATIC_SIMDJSON ON)
  message(STATUS "simdjson: compiled in from ${VECTIMUS_SIMDJSON_SOURCE}")
else()
  find_package(simdjson REQUIRED)
  add_library(vectimus_simdjson INTERFACE)
  target_link_libraries(vectimus_simdjson INTERFACE simdjson::simdjson)
  set(VECTIMUS_STATIC_SIMDJSON OFF)
  message(STATUS "simdjson: Debian's shared library (no source at ${VECTIMUS_SIMDJSON_SOURCE}; "
                 ".ci/deps fetches it; the hook starts slower)")
endif()

# The vectimus binary links fully statically when every library it needs has a static archive:
# no dynamic loader work at all at start. Sanitizer runtimes need dynamic linking.
if(VECTIMUS_STATIC_SIMDJSON AND NOT VECTIMUS_SANITIZE)
  set(VECTIMUS_STATIC_DEFAULT ON)
else()
  set(VECTIMUS_STATIC_DEFAULT OFF)
endif()
option(VECTIMUS_STATIC "Link the vectimus binary statically" ${VECTIMUS_STATIC_DEFAULT})
