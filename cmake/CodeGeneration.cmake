# The sources CMake generates. Each function writes one file into the build tree; the targets
# that compile it list it among their sources (common/CMakeLists.txt, server/CMakeLists.txt).

# ge_generate_country_codes(TEMPLATE country.cpp.in OUTPUT <file>)
# The ISO 3166-1 alpha-2 codes from Debian's iso-codes, read at configure time (and again when
# that file changes), as the @ISO_COUNT@ / @ISO_CODES@ of the template.
set(ISO_3166_JSON "/usr/share/iso-codes/json/iso_3166-1.json" CACHE FILEPATH "Debian iso-codes' ISO 3166-1 list")
function(ge_generate_country_codes)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TEMPLATE;OUTPUT" "")
  if(NOT EXISTS "${ISO_3166_JSON}")
    message(FATAL_ERROR "${ISO_3166_JSON} not found: install Debian's iso-codes (make deps)")
  endif()
  file(READ "${ISO_3166_JSON}" iso_json)
  string(JSON ISO_COUNT LENGTH "${iso_json}" "3166-1")
  set(ISO_CODES "")
  math(EXPR last "${ISO_COUNT} - 1")
  foreach(i RANGE ${last})
    string(JSON code GET "${iso_json}" "3166-1" ${i} "alpha_2")
    string(APPEND ISO_CODES "\"${code}\",")
  endforeach()
  configure_file(${arg_TEMPLATE} ${arg_OUTPUT} @ONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${ISO_3166_JSON}")
endfunction()

# ge_embed_sql_files(TEMPLATE sql_files.cpp.in OUTPUT <file> FILES a.sql b.sql …)
# The SQL files evload applies, embedded as raw strings (@SQL_ENTRIES@, in the order given) so
# that the binary is self-contained.
function(ge_embed_sql_files)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TEMPLATE;OUTPUT" "FILES")
  set(SQL_ENTRIES "")
  foreach(file IN LISTS arg_FILES)
    get_filename_component(name ${file} NAME)
    file(READ ${file} body)
    string(APPEND SQL_ENTRIES "  {\"${name}\", R\"__sql__(${body})__sql__\"},\n")
  endforeach()
  configure_file(${arg_TEMPLATE} ${arg_OUTPUT} @ONLY)
  # file(READ) alone does not make CMake look again: without this, an edited .sql kept the old text.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${arg_FILES})
endfunction()

# ge_embed_assets(OUTPUT <file> INDEX index.html ASSETS name=path …)
# The dashboard, embedded at build time by the cmake -P script EmbedAssets.cmake (which documents
# the format): rebuilt when any of its files or the script changes.
function(ge_embed_assets)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "OUTPUT;INDEX" "ASSETS")
  set(inputs "")
  foreach(pair IN LISTS arg_ASSETS)
    string(REGEX REPLACE "^[^=]+=" "" path "${pair}")
    list(APPEND inputs "${path}")
  endforeach()
  add_custom_command(
    OUTPUT ${arg_OUTPUT}
    COMMAND ${CMAKE_COMMAND} "-DASSETS=${arg_ASSETS}" -DINDEX=${arg_INDEX} -DOUT=${arg_OUTPUT}
            -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedAssets.cmake
    DEPENDS ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedAssets.cmake ${arg_INDEX} ${inputs}
    COMMENT "Embedding the dashboard (server/dashboard, Chart.js)"
    VERBATIM)
endfunction()
