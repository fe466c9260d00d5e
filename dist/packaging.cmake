# CPack: one Debian package, `vectimus`, named vectimus_<version>_amd64.deb.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vectimus)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "vectimus maintainers <maintainers@users.noreply.b-seed-fb276e3c.example>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Cedar policies for what AI coding agents do")
# Debian's long description: lines of at most 80 characters; CPack indents them.
set(CPACK_PACKAGE_DESCRIPTION
    "vectimus decides, before each tool call of an AI coding agent (Claude Code,
Cursor, GitHub Copilot, Gemini CLI, Codex CLI), whether the call may run.
The call becomes Cedar requests, decided against policy packs by vectimus's
own Cedar interpreter; the answer goes back in the agent's own protocol and
every decision is recorded in a signed, append-only audit log.")
# lintian: binaries without debugging symbols (the build keeps them for profiling).
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The binary is static when every library has a static archive (cmake/simdjson.cmake): then it
# needs nothing at all at run time. Otherwise dpkg-shlibdeps works out the Depends line.
if(NOT VECTIMUS_STATIC)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
endif()
include(CPack)
