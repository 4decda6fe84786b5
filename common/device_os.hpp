#pragma once
// SPEC §1.1: a registration's device_os, exactly one of three case-sensitive names.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ge {

enum class DeviceOs : std::uint8_t { iOS, Android, Web };

inline constexpr std::array<std::string_view, 3> kDeviceOsNames{"iOS", "Android", "Web"};

constexpr std::string_view to_string(DeviceOs os) noexcept { return kDeviceOsNames[static_cast<std::size_t>(os)]; }

constexpr std::optional<DeviceOs> device_os_from_string(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kDeviceOsNames.size(); ++i) {
    if (kDeviceOsNames[i] == name) return static_cast<DeviceOs>(i);
  }
  return std::nullopt;
}

}  // namespace ge
