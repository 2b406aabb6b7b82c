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

# meshwork_add_library(<name> SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Creates static library meshwork_<name>, alias meshwork::<name>, and installs it.
# Sources see the public headers (include/ and the Mbed include folders) and src/ as roots,
# so internal headers are included as "core/Time.h", "wire/Ip6.h" and so on.
function(meshwork_add_library name)
  cmake_parse_arguments(A "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  set(target meshwork_${name})
  if(NOT A_SOURCES)
    message(STATUS "meshwork: library ${name} has no sources yet; skipped")
    return()
  endif()
  add_library(${target} STATIC ${A_SOURCES})
  add_library(meshwork::${name} ALIAS ${target})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/src>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/meshwork/internal>)
  target_link_libraries(${target} PUBLIC meshwork_headers ${A_PUBLIC_DEPS} PRIVATE ${A_PRIVATE_DEPS})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  install(TARGETS ${target} EXPORT meshworkTargets)
endfunction()

# meshwork_add_test(<name> LABEL <label> SOURCES ... [DEPS ...] [MAIN]) -> one CTest test.
# Labels: unit, conformance, scenario, interop, fuzz-smoke, example.
function(meshwork_add_test name)
  cmake_parse_arguments(A "NO_GTEST_MAIN" "LABEL;TIMEOUT" "SOURCES;DEPS;ARGS" ${ARGN})
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
  add_test(NAME ${name} COMMAND ${name} ${A_ARGS})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS ${A_LABEL} TIMEOUT ${A_TIMEOUT})
endfunction()

function(meshwork_install_package)
  install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/meshwork)
  install(DIRECTORY ${CMAKE_SOURCE_DIR}/src/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/meshwork/internal
          FILES_MATCHING PATTERN "*.h")
  install(EXPORT meshworkTargets NAMESPACE meshwork:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/meshwork)
  configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/meshworkConfig.cmake.in
    ${CMAKE_BINARY_DIR}/meshworkConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/meshwork)
  write_basic_package_version_file(${CMAKE_BINARY_DIR}/meshworkConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
  install(FILES ${CMAKE_BINARY_DIR}/meshworkConfig.cmake ${CMAKE_BINARY_DIR}/meshworkConfigVersion.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/meshwork)
endfunction()
