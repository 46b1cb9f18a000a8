# Installation layout and the Debian package (SPEC §10, issue 7): `cpack -G DEB` in the build
# directory makes liitos_VERSION_amd64.deb. Included once, at the end of the top CMakeLists.txt,
# which already installs the binary to ${prefix}/bin; CPack's DEB prefix is /usr.
#
#   /usr/bin/liitos                         the binary (stripped in the package)
#   /usr/lib/systemd/system/liitos.service  the hardened unit
#   /usr/lib/sysusers.d/liitos.conf         the system user liitos
#   /usr/lib/tmpfiles.d/liitos.conf         /var/lib/liitos, /etc/liitos, /srv/liitos/... folders
#   /etc/liitos/liitos.toml                 a conffile: valid as installed, commented
#   /usr/share/man/man8/liitos.8.gz         liitos(8)
#   /usr/share/doc/liitos/                  README.md, contract.md, operations.md, performance.md, copyright,
#                                           changelog.gz (packaging/changelog: a native package's)
#   /usr/share/lintian/overrides/liitos     the one lintian warning kept on purpose, with its reason

set(LIITOS_PKG_DIR ${PROJECT_SOURCE_DIR}/packaging)

# The man page, gzipped reproducibly (-n: no name or time stamp in the header).
set(LIITOS_MAN_GZ ${PROJECT_BINARY_DIR}/man/liitos.8.gz)
add_custom_command(
  OUTPUT ${LIITOS_MAN_GZ}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
  COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/man/liitos.8 > ${LIITOS_MAN_GZ}
  DEPENDS ${PROJECT_SOURCE_DIR}/man/liitos.8
  COMMENT "gzip man/liitos.8"
  VERBATIM)
# The Debian changelog, gzipped the same way. Its first entry names the package version
# (scripts/package-test.sh checks that it names PROJECT_VERSION).
set(LIITOS_CHANGELOG_GZ ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
add_custom_command(
  OUTPUT ${LIITOS_CHANGELOG_GZ}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/packaging
  COMMAND gzip -9nc ${LIITOS_PKG_DIR}/changelog > ${LIITOS_CHANGELOG_GZ}
  DEPENDS ${LIITOS_PKG_DIR}/changelog
  COMMENT "gzip packaging/changelog"
  VERBATIM)
add_custom_target(liitos_man ALL DEPENDS ${LIITOS_MAN_GZ} ${LIITOS_CHANGELOG_GZ})

install(FILES systemd/liitos.service DESTINATION lib/systemd/system)
install(FILES systemd/liitos.sysusers DESTINATION lib/sysusers.d RENAME liitos.conf)
install(FILES systemd/liitos.tmpfiles DESTINATION lib/tmpfiles.d RENAME liitos.conf)
# Absolute: /etc whatever the prefix. Not readable by others (tmpfiles.d makes it root:liitos).
install(FILES ${LIITOS_PKG_DIR}/liitos.toml DESTINATION /etc/liitos
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${LIITOS_MAN_GZ} DESTINATION share/man/man8)
set(LIITOS_DOCS README.md docs/contract.md docs/operations.md ${LIITOS_PKG_DIR}/copyright)
if(EXISTS ${PROJECT_SOURCE_DIR}/docs/performance.md)
  list(APPEND LIITOS_DOCS docs/performance.md)
endif()
install(FILES ${LIITOS_DOCS} ${LIITOS_CHANGELOG_GZ} DESTINATION share/doc/liitos)
install(FILES ${LIITOS_PKG_DIR}/lintian/liitos DESTINATION share/lintian/overrides)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME liitos)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "liitos")
set(CPACK_PACKAGE_CONTACT "liitos maintainers <liitos@example.fi>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "legacy XML/CSV exports to the Luvat ja valvonta interface")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "liitos watches local drop folders and SFTP drops for XML or CSV exports of
legacy case-management systems, converts every record into status updates,
delivers them in scheduled batches over X-Road REST or as batch files, writes
receipts back for every file, and keeps a tamper-evident SQLite journal.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # liitos_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.fi/liitos")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Beyond the libraries: systemd-sysusers/-tmpfiles in postinst, the tz database for Helsinki time.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd, tzdata")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "sqlite3, ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${LIITOS_PKG_DIR}/deb/conffiles ${LIITOS_PKG_DIR}/deb/postinst
    ${LIITOS_PKG_DIR}/deb/prerm ${LIITOS_PKG_DIR}/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
