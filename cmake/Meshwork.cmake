# Build conventions shared by every folder of the project.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

function(meshwork_setup_flags)
  add_compile_options(-Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
  if(MESHWORK_WERROR)
    add_compile_options(-Werror)
  endif()
  if(MESHWORK_SANITIZE STREQUAL "address,undefined")
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
  elseif(MESHWORK_SANITIZE STREQUAL "thread")
    add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
    add_link_options(-fsanitize=thread)
  elseif(NOT MESHWORK_SANITIZE STREQUAL "")
    message(FATAL_ERROR "MESHWORK_SANITIZE must be empty, 'address,undefined' or 'thread'")
  endif()
  if(MESHWORK_BUILD_FUZZ)
    # Instrument the libraries too, so libFuzzer sees the coverage of the code under test.
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
  endif()
endfunction()

# Adds every immediate subfolder of DIR that has a CMakeLists.txt, in sorted order.
function(meshwork_add_subdirectories dir)
  file(GLOB children LIST_DIRECTORIES true RELATIVE ${CMAKE_SOURCE_DIR}/${dir} ${CMAKE_SOURCE_DIR}/${dir}/*)
  list(SORT children)
  foreach(child ${children})
    if(IS_DIRECTORY ${CMAKE_SOURCE_DIR}/${dir}/${child} AND EXISTS ${CMAKE_SOURCE_DIR}/${dir}/${child}/CMakeLists.txt)
      add_subdirectory(${CMAKE_SOURCE_DIR}/${dir}/${child} ${CMAKE_BINARY_DIR}/${dir}/${child})
    endif()
  endforeach()
endfunction()

# meshwork_add_library(<name> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# Creates static library meshwork_<name> (alias meshwork::<name>) for the folder it is called
# from, with the include roots cmake/Layering.cmake allows it (and nothing else):
#   - its own folder, privately, so its sources include their own headers by bare name;
#   - the "<prefix>/X.h" roots of the libraries it links, where those export their headers
#     (prefix = the folder under src/: "core", "wire", "mesh/mac", ...);
#   - the public headers its layer names (none, include/meshwork only, or all of include/).
# DEPS (PUBLIC_DEPS is a synonym) and PRIVATE_DEPS may name other libraries and packages; a
# meshwork library not allowed by the layer table is a configure error.
function(meshwork_add_library name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  set(target meshwork_${name})
  if(NOT A_SOURCES)
    message(STATUS "meshwork: library ${name} has no sources yet; skipped")
    return()
  endif()
  get_property(layers GLOBAL PROPERTY MESHWORK_LAYERS)
  if(NOT name IN_LIST layers)
    message(FATAL_ERROR "meshwork library '${name}' has no entry in cmake/Layering.cmake")
  endif()
  get_property(allowed GLOBAL PROPERTY MESHWORK_LAYER_${name}_DEPS)
  get_property(headers GLOBAL PROPERTY MESHWORK_LAYER_${name}_HEADERS)
  get_property(exports GLOBAL PROPERTY MESHWORK_LAYER_${name}_EXPORTS)
  set(public_deps ${A_DEPS} ${A_PUBLIC_DEPS})
  foreach(dep IN LISTS public_deps A_PRIVATE_DEPS)
    if(dep MATCHES "^meshwork(_|::)(.+)$" AND NOT "ANY" IN_LIST allowed)
      if(NOT CMAKE_MATCH_2 IN_LIST allowed)
        message(FATAL_ERROR "meshwork library '${name}' may not depend on '${CMAKE_MATCH_2}' "
                            "(cmake/Layering.cmake allows: ${allowed})")
      endif()
    endif()
  endforeach()

  add_library(${target} STATIC ${A_SOURCES})
  add_library(meshwork::${name} ALIAS ${target})
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  set_property(TARGET ${target} PROPERTY MESHWORK_PRIVATE_INCLUDE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  if(exports)
    # A root holding only this folder under its prefix, so "wire/Ip6.h" resolves for the
    # libraries that link wire and for no one else.
    file(RELATIVE_PATH prefix ${CMAKE_SOURCE_DIR}/src ${CMAKE_CURRENT_SOURCE_DIR})
    set(root ${CMAKE_BINARY_DIR}/include-roots/${name})
    get_filename_component(parent ${root}/${prefix} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${prefix} SYMBOLIC)
    target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${root}>)
  endif()
  if(headers STREQUAL "mbed")
    target_link_libraries(${target} PUBLIC meshwork_headers)
  elseif(headers STREQUAL "native")
    target_link_libraries(${target} PUBLIC meshwork_native_headers)
  endif()
  target_link_libraries(${target} PUBLIC ${public_deps} PRIVATE ${A_PRIVATE_DEPS})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  install(TARGETS ${target} EXPORT meshworkTargets)
endfunction()

# meshwork_use_internals(<target> <lib>...): lets a test, fuzzer or benchmark include the
# private headers of the named libraries by bare name (white-box tests of that library).
function(meshwork_use_internals target)
  foreach(lib ${ARGN})
    if(NOT TARGET meshwork_${lib})
      message(FATAL_ERROR "meshwork_use_internals(${target}): no library meshwork_${lib}")
    endif()
    target_include_directories(${target} PRIVATE
      $<TARGET_PROPERTY:meshwork_${lib},MESHWORK_PRIVATE_INCLUDE_DIR>)
  endforeach()
endfunction()

# meshwork_add_test(<name> LABEL <label> SOURCES ... [DEPS ...] [INTERNALS <lib>...]
#                   [NO_GTEST_MAIN]) -> one CTest test. INTERNALS: see meshwork_use_internals.
# Labels: unit, conformance, scenario, interop, fuzz-smoke, example.
function(meshwork_add_test name)
  cmake_parse_arguments(A "NO_GTEST_MAIN" "LABEL;TIMEOUT" "SOURCES;DEPS;ARGS;INTERNALS" ${ARGN})
  set(allowed unit conformance scenario interop fuzz-smoke example)
  if(NOT A_LABEL IN_LIST allowed)
    message(FATAL_ERROR "test ${name}: LABEL must be one of ${allowed}")
  endif()
  add_executable(${name} ${A_SOURCES})
  if(A_NO_GTEST_MAIN)
    target_link_libraries(${name} PRIVATE ${A_DEPS} GTest::gtest Threads::Threads)
  else()
    target_link_libraries(${name} PRIVATE ${A_DEPS} GTest::gtest_main GTest::gmock Threads::Threads)
  endif()
  # tests/support: TempDir and the other shared helpers.
  if(TARGET meshwork_test_support)
    target_link_libraries(${name} PRIVATE meshwork_test_support)
  endif()
  if(A_INTERNALS)
    meshwork_use_internals(${name} ${A_INTERNALS})
  endif()
  add_test(NAME ${name} COMMAND ${name} ${A_ARGS})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS ${A_LABEL} TIMEOUT ${A_TIMEOUT})
endfunction()

function(meshwork_install_package)
  # The public headers, and the vocabulary and codecs the native API's headers use (core/,
  # wire/). No other library's headers are installed: they are internal.
  install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/meshwork)
  foreach(lib core wire)
    install(DIRECTORY ${CMAKE_SOURCE_DIR}/src/${lib}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/meshwork/${lib}
            FILES_MATCHING PATTERN "*.h")
  endforeach()
  install(EXPORT meshworkTargets NAMESPACE meshwork:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/meshwork)
  configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/meshworkConfig.cmake.in
    ${CMAKE_BINARY_DIR}/meshworkConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/meshwork)
  write_basic_package_version_file(${CMAKE_BINARY_DIR}/meshworkConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
  install(FILES ${CMAKE_BINARY_DIR}/meshworkConfig.cmake ${CMAKE_BINARY_DIR}/meshworkConfigVersion.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/meshwork)
endfunction()
